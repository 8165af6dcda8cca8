//! Runs the fault server as a process, for benchmarks and manual poking: prints its base URL on
//! the first line of stdout, then serves until stdin closes.

use std::io::{Read, Write};

fn main() {
    let server = sextant_testkit::FaultServer::start();
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{}", server.url(""));
    let _ = writeln!(out, "{}", server.tls_url(""));
    let _ = out.flush();
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
}
