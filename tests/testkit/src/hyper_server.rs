//! placeholder, being written
pub struct HyperServer;
