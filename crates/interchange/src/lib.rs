//! Import and export of other tools' formats (being written).
