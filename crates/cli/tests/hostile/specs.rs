//! Hostile cases: specs (filled in by its area).
