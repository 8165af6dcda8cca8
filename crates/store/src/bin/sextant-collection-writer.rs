//! Test helper, not a user tool: saves one request file over and over and prints the number of
//! each version once its save has returned. The crate's tests kill it with SIGKILL at random
//! moments and check that the file is always one whole saved version.
//!
//! Usage: `sextant-collection-writer WORKSPACE DATA_DIR [COUNT]`. It saves
//! `writer/loop.yaml` (creating the `writer` collection), version `n` carrying `n` in its URL and
//! a body whose size varies with `n`. Without COUNT it runs until killed, at most a minute.

use std::io::Write;
use std::time::{Duration, Instant};

use sextant_model::{HttpRequest, RequestBody, SavedRequest};
use sextant_store::Workspace;

const PATH: &str = "writer/loop.yaml";

/// Version `n` of the request.
fn version(n: u64) -> SavedRequest {
    let mut http = HttpRequest::new("POST", format!("http://127.0.0.1:9/loop/{n}"));
    let filler = "x".repeat(((n % 13) * 60_000) as usize);
    http.body = RequestBody::Json {
        text: format!("{{\"n\": {n}, \"filler\": \"{filler}\"}}"),
    };
    let mut req = SavedRequest::new(format!("loop {n}"), http);
    req.docs = format!("version {n}");
    req
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (root, data, count) = match args.as_slice() {
        [root, data] => (root, data, None),
        [root, data, count] => (
            root,
            data,
            Some(count.parse::<u64>().expect("COUNT is a number")),
        ),
        _ => {
            eprintln!("usage: sextant-collection-writer WORKSPACE DATA_DIR [COUNT]");
            std::process::exit(2);
        }
    };
    let fail = |what: &str, e: &dyn std::fmt::Display| -> ! {
        eprintln!("{what}: {e}");
        std::process::exit(1);
    };
    let ws = Workspace::open(root, data).unwrap_or_else(|e| fail("open", &e));
    if !ws.root().join("writer").is_dir() {
        ws.create_collection("writer")
            .unwrap_or_else(|e| fail("create collection", &e));
    }
    let mut revision = ws.read_request(PATH).ok().map(|r| r.revision);
    let mut out = std::io::stdout().lock();
    let started = Instant::now();
    let mut n = 1u64;
    while count.is_none_or(|c| n <= c) && started.elapsed() < Duration::from_secs(60) {
        let saved = ws
            .save_request(PATH, &version(n), revision.as_deref())
            .unwrap_or_else(|e| fail("save", &e));
        revision = Some(saved.revision);
        if writeln!(out, "{n}").and_then(|()| out.flush()).is_err() {
            std::process::exit(1);
        }
        n += 1;
    }
}
