//! Integration tests of the engine against real servers on 127.0.0.1: the in-process fault
//! server and hyper server, the FastAPI demo API under uvicorn and httpbin under gunicorn.

#[path = "engine/support.rs"]
mod support;

#[path = "engine/basics.rs"]
mod basics;
#[path = "engine/bodies.rs"]
mod bodies;
#[path = "engine/client_certs.rs"]
mod client_certs;
#[path = "engine/digest.rs"]
mod digest;
#[path = "engine/faults.rs"]
mod faults;
#[path = "engine/fetch_budget.rs"]
mod fetch_budget;
#[path = "engine/locked_certs.rs"]
mod locked_certs;
#[path = "engine/python.rs"]
mod python;
#[path = "engine/redirect_credentials.rs"]
mod redirect_credentials;
#[path = "engine/redirects_cookies.rs"]
mod redirects_cookies;
#[path = "engine/sigv4_send.rs"]
mod sigv4_send;
#[path = "engine/streaming.rs"]
mod streaming;
#[path = "engine/transport.rs"]
mod transport;
