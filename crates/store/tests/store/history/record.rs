//! Recording and reading back: nothing is lost or altered on the way through the database.

use sextant_store::{History, NewEntry, Source, StoreError};

use crate::support::{entry, temp_db};

fn full_entry() -> NewEntry {
    NewEntry {
        at_ms: 1_700_000_000_123,
        source: Source::Cli,
        collection: Some("Payments API".into()),
        method: "PATCH".into(),
        url: "https://API.Example.com:8443/v1/charges/ch_42?expand=customer#frag".into(),
        request_headers: vec![
            (
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            ),
            ("X-Dup".into(), "first".into()),
            ("X-Dup".into(), "second".into()),
            (
                "X-Quote".into(),
                "a \"quoted\" value, with commas\nand a newline".into(),
            ),
        ],
        request_body: Some(r#"{"amount": 1200, "note": "naïve café ☕"}"#.into()),
        request_as_written: Some(r#"{"saved":{"request":{"url":"{{base}}/v1"}}}"#.into()),
        request_body_bytes: Some(44),
        status: Some(202),
        response_headers: vec![("etag".into(), "W/\"abc\"".into())],
        response_body_text: Some(r#"{"id":"ch_42","status":"pending"}"#.into()),
        response_body_path: Some("/var/tmp/sextant/bodies/ch_42.bin".into()),
        body_size: 5_000_000_000,
        duration_ms: 123.456_789,
        timings_json: Some(r#"{"dnsMs":1.5,"connectMs":3.25}"#.into()),
        error_code: None,
        error_message: None,
    }
}

#[test]
fn record_then_get_returns_everything_recorded() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let sent = full_entry();
    let id = history.record(&sent)?;
    let got = history.get(id)?.expect("the entry just recorded");
    assert_eq!(got.id, id);
    assert_eq!(got.recorded, sent);
    assert_eq!(got.host.as_deref(), Some("api.example.com"));

    // And after reopening, from another connection.
    drop(history);
    let again = History::open(&db.path)?.get(id)?.expect("still there");
    assert_eq!(again.recorded, sent);
    Ok(())
}

#[test]
fn a_failed_exchange_without_response_round_trips() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let mut sent = entry(5, "http://localhost:9/unreachable");
    sent.status = None;
    sent.response_headers = vec![];
    sent.response_body_text = None;
    sent.body_size = 0;
    sent.error_code = Some("connectionRefused".into());
    sent.error_message = Some("connection refused (os error 111)".into());
    let id = history.record(&sent)?;
    let got = history.get(id)?.expect("recorded");
    assert_eq!(got.recorded, sent);
    assert_eq!(got.host.as_deref(), Some("localhost"));
    Ok(())
}

#[test]
fn ids_grow_and_get_of_an_unknown_id_is_none() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let a = history.record(&entry(1, "https://a.test/"))?;
    let b = history.record(&entry(2, "https://b.test/"))?;
    assert!(b > a);
    assert!(history.get(b + 1000)?.is_none());
    assert!(history.get(-1)?.is_none());
    Ok(())
}

#[test]
fn urls_that_do_not_parse_are_kept_without_a_host() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let no_scheme = history.record(&entry(1, "api.example.com/users"))?;
    let garbage = history.record(&entry(2, "not a url at all"))?;
    assert_eq!(
        history.get(no_scheme)?.unwrap().host.as_deref(),
        Some("api.example.com")
    );
    let got = history.get(garbage)?.unwrap();
    assert_eq!(got.host, None);
    assert_eq!(got.recorded.url, "not a url at all");
    Ok(())
}

#[test]
fn a_non_finite_duration_is_refused() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let mut bad = entry(1, "https://a.test/");
    bad.duration_ms = f64::NAN;
    assert!(matches!(
        history.record(&bad),
        Err(StoreError::InvalidEntry(_))
    ));
    Ok(())
}

#[test]
fn entries_serialize_in_camel_case() -> anyhow::Result<()> {
    let json = serde_json::to_value(full_entry())?;
    assert_eq!(json["atMs"], 1_700_000_000_123i64);
    assert_eq!(json["source"], "cli");
    assert_eq!(json["requestHeaders"][1][0], "X-Dup");
    assert_eq!(
        json["responseBodyPath"],
        "/var/tmp/sextant/bodies/ch_42.bin"
    );
    let back: NewEntry = serde_json::from_value(json)?;
    assert_eq!(back, full_entry());

    let db = temp_db();
    let history = History::open(&db.path)?;
    let id = history.record(&full_entry())?;
    let got = serde_json::to_value(history.get(id)?.unwrap())?;
    assert_eq!(got["id"], id);
    assert_eq!(got["host"], "api.example.com");
    assert_eq!(got["method"], "PATCH");
    Ok(())
}

#[test]
fn a_history_can_be_shared_between_threads() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let ids: Vec<i64> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|t| {
                let history = &history;
                scope.spawn(move || {
                    (0..25)
                        .map(|i| history.record(&entry(i, &format!("https://t{t}.test/{i}"))))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker").expect("record"))
            .collect()
    });
    assert_eq!(ids.len(), 100);
    for id in ids {
        assert!(history.get(id)?.is_some());
    }
    Ok(())
}

#[test]
fn an_entry_is_found_by_its_body_file_newest_first() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let mut first = entry(1, "http://localhost/a");
    first.response_body_path = Some("/data/bodies/b1.body".into());
    let mut second = entry(2, "http://localhost/b");
    second.response_body_path = Some("/data/bodies/b2.body".into());
    let one = history.record(&first)?;
    let two = history.record(&second)?;
    let resent = history.record(&second)?;
    assert_eq!(
        history.find_by_body_path("/data/bodies/b1.body")?,
        Some(one)
    );
    assert_eq!(
        history.find_by_body_path("/data/bodies/b2.body")?,
        Some(resent)
    );
    assert_ne!(two, resent);
    assert_eq!(history.find_by_body_path("/data/bodies/none.body")?, None);
    Ok(())
}
