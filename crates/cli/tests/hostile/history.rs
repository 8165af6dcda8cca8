//! Hostile cases: history (filled in by its area).
