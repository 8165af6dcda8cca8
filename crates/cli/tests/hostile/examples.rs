//! Hostile cases: examples (filled in by its area).
