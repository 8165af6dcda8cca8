//! Hostile cases: redirects_fetch (filled in by its area).
