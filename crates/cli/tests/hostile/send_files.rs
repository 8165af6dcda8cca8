//! Hostile cases: send_files (filled in by its area).
