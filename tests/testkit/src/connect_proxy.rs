//! [`ConnectProxy`]: a tiny HTTP `CONNECT` proxy on 127.0.0.1 that counts the tunnels it opened
//! and the targets they went to, so a test can check traffic really went through a proxy. With
//! [`ConnectProxy::with_credentials`] it answers 407 to a CONNECT without the expected
//! `Proxy-Authorization`.

use std::net::TcpListener as StdTcpListener;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::fault::support::{bind_loopback, local_addr, Background};

/// The longest CONNECT request head read.
const MAX_HEAD: usize = 16 * 1024;

#[derive(Default)]
struct Seen {
    /// `host:port` of each tunnel opened, in order.
    tunnels: Vec<String>,
    /// CONNECT requests refused with 407.
    refused: usize,
}

/// A CONNECT proxy on `http://127.0.0.1:PORT`. Stopped on drop.
pub struct ConnectProxy {
    port: u16,
    seen: Arc<Mutex<Seen>>,
    _background: Background,
}

impl ConnectProxy {
    /// A proxy that tunnels to anyone.
    ///
    /// # Panics
    /// If the port cannot be bound.
    pub fn start() -> ConnectProxy {
        Self::try_start(None).expect("starting the CONNECT proxy")
    }

    /// A proxy that wants `Proxy-Authorization: Basic base64(user:password)`.
    ///
    /// # Panics
    /// If the port cannot be bound.
    pub fn with_credentials(basic_value: &str) -> ConnectProxy {
        Self::try_start(Some(basic_value.to_owned())).expect("starting the CONNECT proxy")
    }

    fn try_start(authorization: Option<String>) -> Result<ConnectProxy> {
        let listener = bind_loopback()?;
        let port = local_addr(&listener).port();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let shared = Arc::clone(&seen);
        let background = Background::spawn("connect-proxy", move || {
            accept(listener, authorization.map(Arc::new), shared)
        })?;
        Ok(ConnectProxy {
            port,
            seen,
            _background: background,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The `host:port` of every tunnel opened so far.
    pub fn tunnels(&self) -> Vec<String> {
        self.seen.lock().unwrap().tunnels.clone()
    }

    /// How many CONNECTs were refused for missing or wrong credentials.
    pub fn refused(&self) -> usize {
        self.seen.lock().unwrap().refused
    }
}

async fn accept(
    listener: StdTcpListener,
    authorization: Option<Arc<String>>,
    seen: Arc<Mutex<Seen>>,
) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    while let Ok((client, _)) = listener.accept().await {
        let authorization = authorization.clone();
        let seen = Arc::clone(&seen);
        tokio::spawn(async move {
            let _ = serve(client, authorization, seen).await;
        });
    }
}

async fn serve(
    mut client: TcpStream,
    authorization: Option<Arc<String>>,
    seen: Arc<Mutex<Seen>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") && head.len() < MAX_HEAD {
        head.push(client.read_u8().await?);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some("CONNECT"), Some(target)) = (parts.next(), parts.next()) else {
        client
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            .await?;
        return Ok(());
    };
    let given = lines.find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("proxy-authorization")
            .then(|| value.trim().to_owned())
    });
    if let Some(expected) = authorization {
        if given.as_deref() != Some(expected.as_str()) {
            seen.lock().unwrap().refused += 1;
            client
                .write_all(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n\
                      Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n",
                )
                .await?;
            return Ok(());
        }
    }
    let Ok(mut upstream) = TcpStream::connect(target).await else {
        client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            .await?;
        return Ok(());
    };
    seen.lock().unwrap().tunnels.push(target.to_owned());
    client
        .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        .await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}
