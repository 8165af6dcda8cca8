//! Test helper, not a user tool: records entries into a history in a tight loop and prints each
//! id on its own line once its transaction has committed. The crate's integration tests run it
//! as a separate process to check concurrent writers and writers killed mid-burst.
//!
//! Usage: `sextant-history-writer DB TAG [COUNT] [--wait]`. Without COUNT it writes until
//! killed, but never for longer than a minute, so a forgotten child cannot run on. With
//! `--wait` it opens the history, prints `ready`, and starts only once a line arrives on stdin,
//! so a test can start several writers at the same moment.

use std::io::{BufRead, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sextant_store::{History, NewEntry, Source};

fn main() {
    let mut wait = false;
    let mut positional = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--wait" {
            wait = true;
        } else {
            positional.push(arg);
        }
    }
    let (db, tag, count) = match positional.as_slice() {
        [db, tag] => (db.clone(), tag.clone(), None),
        [db, tag, count] => (
            db.clone(),
            tag.clone(),
            Some(count.parse::<u64>().expect("COUNT is a number")),
        ),
        _ => {
            eprintln!("usage: sextant-history-writer DB TAG [COUNT] [--wait]");
            std::process::exit(2);
        }
    };

    let history = match History::open(&db) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("open: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    if wait {
        let mut go = String::new();
        let ready = writeln!(out, "ready").and_then(|()| out.flush());
        if ready.is_err() || std::io::stdin().lock().read_line(&mut go).is_err() {
            std::process::exit(1);
        }
    }
    let started = Instant::now();
    let mut n = 0u64;
    while count.is_none_or(|c| n < c) && started.elapsed() < Duration::from_secs(60) {
        let at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let entry = NewEntry {
            at_ms,
            source: Source::Cli,
            collection: Some(tag.clone()),
            method: "POST".into(),
            url: format!("https://writer.test/{tag}/{n}"),
            request_headers: vec![("content-type".into(), "application/json".into())],
            request_body: Some(format!(r#"{{"writer":"{tag}","n":{n}}}"#)),
            request_as_written: None,
            request_body_bytes: None,
            status: Some(201),
            response_headers: vec![("x-writer".into(), tag.clone())],
            response_body_text: Some(format!(r#"{{"created":{n}}}"#)),
            response_body_path: None,
            body_size: 15,
            duration_ms: 1.5,
            timings_json: None,
            error_code: None,
            error_message: None,
        };
        match history.record(&entry) {
            Ok(id) => {
                if writeln!(out, "{id}").and_then(|()| out.flush()).is_err() {
                    std::process::exit(1);
                }
            }
            Err(e) => {
                eprintln!("record {n}: {e}");
                std::process::exit(1);
            }
        }
        n += 1;
    }
}
