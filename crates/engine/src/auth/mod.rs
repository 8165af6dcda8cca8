//! Auth the engine applies while sending, because it depends on the request as it finally goes
//! out (AWS SigV4 signs the method, URL, headers and body hash) or on the server's answer (Digest
//! answers a 401 challenge).

pub(crate) mod digest;
pub mod sigv4;
pub(crate) mod sigv4_hop;
