//! Per-exchange phase timing on top of reqwest, which has no timing API of its own.
//!
//! A [`Probe`] is installed as a task-local around each exchange. The DNS resolver and a
//! connector layer that reqwest calls from inside that task stamp it when they start and finish.
//! If neither ran, the pooled connection was reused. TCP and TLS both happen inside reqwest's
//! connector, so for https the connect phase includes the handshake and is labelled so.

use std::future::Future;
use std::net::{SocketAddr, ToSocketAddrs};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use tower::{Layer, Service};

use crate::error::DnsFailure;

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ProbeMarks {
    pub dns_start: Option<Instant>,
    pub dns_end: Option<Instant>,
    pub connect_start: Option<Instant>,
    pub connect_end: Option<Instant>,
}

pub(crate) type Probe = Arc<Mutex<ProbeMarks>>;

tokio::task_local! {
    static PROBE: Probe;
}

/// Runs `fut` with `probe` receiving the phase marks of any connection it opens.
pub(crate) async fn with_probe<F: Future>(probe: Probe, fut: F) -> F::Output {
    PROBE.scope(probe, fut).await
}

fn current_probe() -> Option<Probe> {
    PROBE.try_with(Arc::clone).ok()
}

fn stamp(probe: &Option<Probe>, f: impl FnOnce(&mut ProbeMarks)) {
    if let Some(p) = probe {
        if let Ok(mut marks) = p.lock() {
            f(&mut marks);
        }
    }
}

/// The system resolver (getaddrinfo on a blocking thread), timed.
#[derive(Debug, Default)]
pub(crate) struct TimedResolver;

impl Resolve for TimedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let probe = current_probe();
        let host = name.as_str().to_string();
        Box::pin(async move {
            stamp(&probe, |m| m.dns_start = Some(Instant::now()));
            let lookup_host = host.clone();
            let result = tokio::task::spawn_blocking(move || {
                (lookup_host.as_str(), 0u16)
                    .to_socket_addrs()
                    .map(|it| it.collect::<Vec<SocketAddr>>())
            })
            .await;
            stamp(&probe, |m| m.dns_end = Some(Instant::now()));
            let addrs = match result {
                Ok(Ok(addrs)) if !addrs.is_empty() => addrs,
                Ok(Ok(_)) => return Err(Box::new(DnsFailure("no addresses found".into())) as _),
                Ok(Err(e)) => return Err(Box::new(DnsFailure(e.to_string())) as _),
                Err(e) => return Err(Box::new(DnsFailure(e.to_string())) as _),
            };
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// A tower layer around reqwest's connector that stamps connection setup.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TimingLayer;

impl<S> Layer<S> for TimingLayer {
    type Service = TimedConnector<S>;
    fn layer(&self, inner: S) -> Self::Service {
        TimedConnector { inner }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct TimedConnector<S> {
    inner: S,
}

impl<S, R> Service<R> for TimedConnector<S>
where
    S: Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: R) -> Self::Future {
        let probe = current_probe();
        stamp(&probe, |m| m.connect_start = Some(Instant::now()));
        let fut = self.inner.call(req);
        Box::pin(async move {
            let out = fut.await;
            stamp(&probe, |m| m.connect_end = Some(Instant::now()));
            out
        })
    }
}

pub(crate) fn ms(from: Instant, to: Instant) -> f64 {
    to.saturating_duration_since(from).as_secs_f64() * 1000.0
}
