//! Hostile cases: workspace (filled in by its area).
