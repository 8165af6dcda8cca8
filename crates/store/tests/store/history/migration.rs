//! Schema migration: older databases are upgraded after a backup, a failing step changes
//! nothing, and files from a newer Sextant or another program are left alone.

use std::path::Path;

use rusqlite::Connection;
use sextant_store::schema::{Migration, APPLICATION_ID, CURRENT_VERSION, MIGRATIONS};
use sextant_store::{backup_path, History, HistoryQuery, StoreError};

use crate::support::{entry, temp_db};

fn user_version(path: &Path) -> u32 {
    Connection::open(path)
        .and_then(|c| c.pragma_query_value(None, "user_version", |r| r.get(0)))
        .expect("read user_version")
}

fn count_entries(path: &Path) -> i64 {
    Connection::open(path)
        .and_then(|c| c.query_row("SELECT count(*) FROM entries", [], |r| r.get(0)))
        .expect("count entries")
}

/// Writes an entry the way a build at an older schema did: only the columns every version has.
fn record_old(path: &Path, at_ms: i64, url: &str, body: &str) -> anyhow::Result<i64> {
    let conn = Connection::open(path)?;
    conn.execute(
        "INSERT INTO entries (at_ms, source, method, url, host, status, body_size, duration_ms)
         VALUES (?1, 'app', 'GET', ?2, 'old.test', 200, 0, 1.0)",
        rusqlite::params![at_ms, url],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO entry_details (entry_id, request_headers, request_body, response_headers,
            response_body_text)
         VALUES (?1, '[[\"Authorization\",\"Bearer •••\"]]', NULL, '[]', ?2)",
        rusqlite::params![id, body],
    )?;
    Ok(id)
}

/// A database at schema version `version`, holding three entries.
fn old_database(path: &Path, version: usize) -> anyhow::Result<Vec<i64>> {
    drop(History::open_with_migrations(path, &MIGRATIONS[..version])?);
    let mut ids = Vec::new();
    for (i, word) in ["lighthouse", "harbour", "compass"].iter().enumerate() {
        ids.push(record_old(
            path,
            i as i64,
            &format!("https://old.test/{word}"),
            &format!("recorded before search existed: {word}"),
        )?);
    }
    assert_eq!(user_version(path), version as u32);
    Ok(ids)
}

/// A database at schema version 1, holding three entries.
fn v1_database(path: &Path) -> anyhow::Result<Vec<i64>> {
    old_database(path, 1)
}

#[test]
fn a_new_database_gets_the_current_schema_and_no_backup() -> anyhow::Result<()> {
    let db = temp_db();
    History::open(&db.path)?.record(&entry(1, "https://a.test/"))?;
    History::open(&db.path)?;
    assert_eq!(user_version(&db.path), CURRENT_VERSION);
    let conn = Connection::open(&db.path)?;
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    assert_eq!(app_id, APPLICATION_ID);
    let journal: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    assert_eq!(journal, "wal");
    let backups: Vec<_> = std::fs::read_dir(db.dir.path())?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".bak-"))
        .collect();
    assert!(
        backups.is_empty(),
        "no backup of a new database: {backups:?}"
    );
    Ok(())
}

#[test]
fn an_old_database_is_backed_up_then_upgraded_with_its_data() -> anyhow::Result<()> {
    let db = temp_db();
    let ids = v1_database(&db.path)?;

    let history = History::open(&db.path)?;
    assert_eq!(user_version(&db.path), CURRENT_VERSION);

    let backup = backup_path(&db.path, 1);
    assert!(backup.ends_with("history.sqlite.bak-v1"), "{backup:?}");
    assert_eq!(user_version(&backup), 1);
    assert_eq!(count_entries(&backup), 3);

    for &id in &ids {
        assert!(history.get(id)?.is_some(), "entry {id} survived");
    }
    // The new full-text index covers what was recorded before it existed.
    let found = history.list(&HistoryQuery {
        text: Some("harbour".into()),
        ..HistoryQuery::default()
    })?;
    assert_eq!(found.iter().map(|s| s.id).collect::<Vec<_>>(), [ids[1]]);
    Ok(())
}

#[test]
fn a_failing_migration_leaves_the_database_at_its_old_version() -> anyhow::Result<()> {
    let db = temp_db();
    let ids = v1_database(&db.path)?;
    let broken = [
        MIGRATIONS[0],
        Migration {
            name: "broken",
            sql: "CREATE TABLE half_done (x INTEGER);
                  DELETE FROM entries;
                  SELECT no_such_function();",
        },
    ];

    let err = History::open_with_migrations(&db.path, &broken).expect_err("step 2 fails");
    match &err {
        StoreError::Migration { version, path, .. } => {
            assert_eq!(*version, 2);
            assert_eq!(path, &db.path);
        }
        other => panic!("expected a migration error, got {other:?}"),
    }
    assert!(err.to_string().contains("history.sqlite"), "{err}");

    assert_eq!(user_version(&db.path), 1);
    assert_eq!(
        count_entries(&db.path),
        3,
        "the step's DELETE was rolled back"
    );
    let half_done: i64 = Connection::open(&db.path)?.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(half_done, 0, "the step's CREATE was rolled back");
    assert_eq!(count_entries(&backup_path(&db.path, 1)), 3);

    // The real migration still works afterwards.
    let history = History::open(&db.path)?;
    assert_eq!(user_version(&db.path), CURRENT_VERSION);
    for id in ids {
        assert!(history.get(id)?.is_some());
    }
    Ok(())
}

#[test]
fn a_database_from_a_newer_sextant_is_refused_untouched() -> anyhow::Result<()> {
    let db = temp_db();
    History::open(&db.path)?.record(&entry(1, "https://a.test/"))?;
    let before = std::fs::read(&db.path)?;
    match History::open_with_migrations(&db.path, &MIGRATIONS[..1]) {
        Err(StoreError::TooNew {
            found, supported, ..
        }) => assert_eq!((found, supported), (CURRENT_VERSION, 1)),
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert_eq!(std::fs::read(&db.path)?, before);
    Ok(())
}

#[test]
fn another_programs_database_is_refused_untouched() -> anyhow::Result<()> {
    let db = temp_db();
    {
        let conn = Connection::open(&db.path)?;
        conn.execute_batch(
            "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');
             PRAGMA user_version = 1;",
        )?;
    }
    let before = std::fs::read(&db.path)?;
    assert!(matches!(
        History::open(&db.path),
        Err(StoreError::NotHistory { .. })
    ));
    assert_eq!(std::fs::read(&db.path)?, before);
    assert!(!backup_path(&db.path, 1).exists());
    Ok(())
}

#[test]
fn an_empty_file_becomes_a_new_history() -> anyhow::Result<()> {
    let db = temp_db();
    std::fs::write(&db.path, b"")?;
    let history = History::open(&db.path)?;
    history.record(&entry(1, "https://a.test/"))?;
    assert_eq!(user_version(&db.path), CURRENT_VERSION);
    Ok(())
}

#[test]
fn entries_from_before_the_request_as_written_have_none_and_keep_their_as_sent_copy(
) -> anyhow::Result<()> {
    let db = temp_db();
    let ids = old_database(&db.path, 2)?;
    let history = History::open(&db.path)?;
    assert_eq!(user_version(&db.path), CURRENT_VERSION);
    assert!(backup_path(&db.path, 2).exists());
    let old = history.get(ids[0])?.expect("the old entry");
    assert_eq!(old.recorded.request_as_written, None);
    assert_eq!(
        old.recorded.request_headers,
        [("Authorization".to_string(), "Bearer •••".to_string())]
    );

    // A new entry keeps it beside the as-sent copy.
    let mut new = entry(9, "https://new.test/");
    new.request_as_written = Some(r#"{"url":"{{base}}/x"}"#.into());
    let id = history.record(&new)?;
    assert_eq!(history.get(id)?.expect("new").recorded, new);
    Ok(())
}

#[test]
fn entries_from_before_the_body_size_have_none_and_new_ones_are_found_by_body_file(
) -> anyhow::Result<()> {
    let db = temp_db();
    let ids = old_database(&db.path, 3)?;
    let history = History::open(&db.path)?;
    assert_eq!(user_version(&db.path), CURRENT_VERSION);
    assert!(backup_path(&db.path, 3).exists());
    let old = history.get(ids[0])?.expect("the old entry");
    assert_eq!(old.recorded.request_body_bytes, None);

    let mut new = entry(9, "https://new.test/");
    new.request_body_bytes = Some(3);
    new.response_body_path = Some("/d/bodies/x.body".into());
    let id = history.record(&new)?;
    assert_eq!(history.get(id)?.expect("new").recorded, new);
    assert_eq!(history.find_by_body_path("/d/bodies/x.body")?, Some(id));
    Ok(())
}
