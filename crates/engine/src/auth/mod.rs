//! Auth the engine applies while sending, because it depends on the request as it finally goes
//! out (AWS SigV4 signs the method, URL, headers and body hash).

pub mod sigv4;
