//! Retention: nothing goes unless asked, and each limit drops the oldest entries first.

use sextant_store::{History, HistoryQuery, Retention};

use crate::support::{entry, now_ms, temp_db};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn all_ids(history: &History) -> Vec<i64> {
    let mut ids: Vec<i64> = history
        .list(&HistoryQuery {
            limit: HistoryQuery::MAX_LIMIT,
            ..HistoryQuery::default()
        })
        .expect("list")
        .into_iter()
        .map(|s| s.id)
        .collect();
    ids.reverse();
    ids
}

#[test]
fn nothing_is_deleted_without_a_prune_or_by_an_empty_policy() -> anyhow::Result<()> {
    let db = temp_db();
    let mut ids = Vec::new();
    for round in 0..3 {
        let history = History::open(&db.path)?;
        for i in 0..400 {
            let mut e = entry(i - 400 * DAY_MS, "https://old.test/");
            e.body_size = 10_000_000;
            e.response_body_path = Some(format!("/bodies/{round}-{i}"));
            ids.push(history.record(&e)?);
        }
    }
    let history = History::open(&db.path)?;
    assert_eq!(all_ids(&history), ids);
    let report = history.prune(&Retention::default())?;
    assert_eq!(report.entries_deleted, 0);
    assert!(report.body_paths.is_empty());
    assert_eq!(all_ids(&history), ids);
    Ok(())
}

#[test]
fn by_count_keeps_the_newest_and_reports_body_files() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let mut ids = Vec::new();
    for i in 0..1_234 {
        let mut e = entry(i, "https://a.test/");
        if i % 100 == 0 {
            e.response_body_path = Some(format!("/bodies/{i}.bin"));
        }
        ids.push(history.record(&e)?);
    }
    let report = history.prune(&Retention {
        max_entries: Some(100),
        ..Retention::default()
    })?;
    assert_eq!(report.entries_deleted, 1_134);
    let expected_paths: Vec<String> = (0..1_134)
        .filter(|i| i % 100 == 0)
        .map(|i| format!("/bodies/{i}.bin"))
        .collect();
    assert_eq!(report.body_paths, expected_paths);
    assert_eq!(all_ids(&history), ids[1_134..]);

    // Already within the limit: nothing more goes.
    let again = history.prune(&Retention {
        max_entries: Some(100),
        ..Retention::default()
    })?;
    assert_eq!(again.entries_deleted, 0);

    let everything = history.prune(&Retention {
        max_entries: Some(0),
        ..Retention::default()
    })?;
    assert_eq!(everything.entries_deleted, 100);
    assert!(all_ids(&history).is_empty());
    // Ids are not reused after the newest entry was deleted.
    let next = history.record(&entry(0, "https://a.test/"))?;
    assert!(next > *ids.last().unwrap());
    Ok(())
}

#[test]
fn by_age_drops_entries_sent_before_the_cutoff() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let now = now_ms();
    let mut recent = Vec::new();
    // Recorded out of time order: the CLI may record a request that started earlier.
    for (days_ago, path) in [
        (40, None),
        (2, None),
        (31, Some("/b/31")),
        (0, None),
        (90, None),
    ] {
        let mut e = entry(now - days_ago * DAY_MS, "https://a.test/");
        e.response_body_path = path.map(str::to_owned);
        let id = history.record(&e)?;
        if days_ago < 30 {
            recent.push(id);
        }
    }
    let report = history.prune(&Retention {
        max_age_ms: Some(30 * DAY_MS as u64),
        ..Retention::default()
    })?;
    assert_eq!(report.entries_deleted, 3);
    assert_eq!(report.body_paths, ["/b/31"]);
    assert_eq!(all_ids(&history), recent);
    Ok(())
}

#[test]
fn by_total_body_size_keeps_the_newest_that_fit() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let mut ids = Vec::new();
    for (i, size) in [500u64, 400, 300, 200, 100].into_iter().enumerate() {
        let mut e = entry(i as i64, "https://a.test/");
        e.body_size = size;
        e.response_body_path = Some(format!("/b/{size}"));
        ids.push(history.record(&e)?);
    }
    // Newest first: 100, 300, 600 fit in 650; adding 400 would make 1000.
    let report = history.prune(&Retention {
        max_total_body_bytes: Some(650),
        ..Retention::default()
    })?;
    assert_eq!(report.entries_deleted, 2);
    assert_eq!(report.body_paths, ["/b/500", "/b/400"]);
    assert_eq!(all_ids(&history), ids[2..]);

    let exact = history.prune(&Retention {
        max_total_body_bytes: Some(600),
        ..Retention::default()
    })?;
    assert_eq!(exact.entries_deleted, 0, "600 bytes fit a 600-byte budget");
    Ok(())
}

#[test]
fn limits_combine() -> anyhow::Result<()> {
    let db = temp_db();
    let history = History::open(&db.path)?;
    let now = now_ms();
    let mut ids = Vec::new();
    for i in 0..10 {
        let mut e = entry(now - (10 - i) * DAY_MS, "https://a.test/");
        e.body_size = 100;
        ids.push(history.record(&e)?);
    }
    // Age keeps the last 7 days (7 entries), count keeps 5, size keeps 3.
    let report = history.prune(&Retention {
        max_entries: Some(5),
        max_age_ms: Some(7 * DAY_MS as u64 + 1000),
        max_total_body_bytes: Some(300),
    })?;
    assert_eq!(report.entries_deleted, 7);
    assert_eq!(all_ids(&history), ids[7..]);
    Ok(())
}
