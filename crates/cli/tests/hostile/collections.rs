//! Hostile cases: collections (filled in by its area).
