//! placeholder, being written
pub struct PyServer;
