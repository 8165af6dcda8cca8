//! Hostile cases: template (filled in by its area).
