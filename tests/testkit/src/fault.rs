//! placeholder, being written
pub struct FaultServer;
