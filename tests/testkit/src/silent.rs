//! A loopback port that never answers a connection attempt, the way a host behind a firewall
//! that drops packets does: connect timeouts can then be tested without leaving 127.0.0.1.
//!
//! The listener's accept queue (backlog 0, so one connection) is filled and never drained; Linux
//! then drops every further SYN, and the client waits until its connect timeout.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{bail, Result};
use socket2::{Domain, Socket, Type};

pub struct SilentPort {
    addr: SocketAddr,
    _listener: Socket,
    _queued: Vec<TcpStream>,
}

impl SilentPort {
    pub fn open() -> Result<Self> {
        let listener = Socket::new(Domain::IPV4, Type::STREAM, None)?;
        listener.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
        listener.listen(0)?;
        let Some(addr) = listener.local_addr()?.as_socket() else {
            bail!("the listener has no IP address");
        };
        let mut queued = Vec::new();
        // Connections complete until the queue is full; the first that times out shows it is.
        for _ in 0..8 {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
                Ok(stream) => queued.push(stream),
                Err(_) => {
                    return Ok(Self {
                        addr,
                        _listener: listener,
                        _queued: queued,
                    })
                }
            }
        }
        bail!("the accept queue of a backlog-0 listener never filled")
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}
