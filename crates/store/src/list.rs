//! Plans one page of a history listing so it stays fast whatever filters are combined.
//!
//! A page is "the newest N entries matching every filter". Each filter has its own index (the
//! full-text index for the words), and each index yields ids newest first, so the fastest plan
//! walks the index of the filter that matches *fewest* entries and checks the others per entry.
//! SQLite's planner cannot know how many entries a word or a host matches without statistics
//! that go stale as the history grows, and a wrong pick walks tens of thousands of entries to
//! fill a page. So when several filters apply, a bounded count of each decides the walk.

use rusqlite::types::Value;
use rusqlite::Connection;

use crate::entry::{EntrySummary, HistoryQuery};
use crate::search::fts_query;

/// Counting stops here: beyond this a filter is "broad" and the exact number does not matter.
const COUNT_CAP: i64 = 5_000;

const SUMMARY_COLUMNS: &str =
    "e.id, e.at_ms, e.method, e.url, e.status, e.duration_ms, e.body_size, e.error_code, \
     e.collection";

/// A filter on one indexed column of `entries`.
struct ColumnFilter {
    column: &'static str,
    index: &'static str,
    value: Value,
}

/// What the page's scan walks.
enum Driver {
    /// The primary key: no filter at all.
    Everything,
    /// The full-text index, newest match first.
    Text,
    /// The index of `column_filters[i]`.
    Column(usize),
}

pub(crate) fn list(conn: &Connection, query: &HistoryQuery) -> rusqlite::Result<Vec<EntrySummary>> {
    let columns = column_filters(query);
    let text = query.text.as_deref().and_then(fts_query);
    let driver = choose_driver(conn, query.before_id, &columns, text.as_deref())?;

    let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM ");
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let id = match driver {
        Driver::Text => {
            // CROSS JOIN keeps the full-text scan outermost, so it stops after a page of hits.
            sql.push_str("entries_fts CROSS JOIN entries AS e ON e.id = entries_fts.rowid");
            "entries_fts.rowid"
        }
        Driver::Column(i) => {
            sql.push_str(&format!("entries AS e INDEXED BY {}", columns[i].index));
            "e.id"
        }
        Driver::Everything => {
            sql.push_str("entries AS e");
            "e.id"
        }
    };
    if let Some(fts) = text {
        match driver {
            Driver::Text => {
                conditions.push("entries_fts MATCH ?".to_owned());
                values.push(Value::Text(fts));
            }
            // `+` makes the match set a per-entry check rather than a list of ids to look up
            // one by one, which is what a broad word would otherwise turn into. The set holds
            // only matches older than the page start, as nothing newer can be on the page.
            _ => {
                conditions.push(
                    "+e.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? \
                     AND rowid < ?)"
                        .to_owned(),
                );
                values.push(Value::Text(fts));
                values.push(Value::Integer(query.before_id.unwrap_or(i64::MAX)));
            }
        }
    }
    for filter in &columns {
        conditions.push(format!("e.{} = ?", filter.column));
        values.push(filter.value.clone());
    }
    if let Some(before) = query.before_id {
        conditions.push(format!("{id} < ?"));
        values.push(Value::Integer(before));
    }
    if !conditions.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conditions.join(" AND "));
    }
    sql.push_str(&format!(" ORDER BY {id} DESC LIMIT ?"));
    values.push(Value::Integer(i64::from(
        query.limit.min(HistoryQuery::MAX_LIMIT),
    )));

    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |row| {
        Ok(EntrySummary {
            id: row.get(0)?,
            at_ms: row.get(1)?,
            method: row.get(2)?,
            url: row.get(3)?,
            status: row.get(4)?,
            duration_ms: row.get(5)?,
            body_size: row.get::<_, i64>(6)?.max(0) as u64,
            error_code: row.get(7)?,
            collection: row.get(8)?,
        })
    })?;
    rows.collect()
}

fn column_filters(query: &HistoryQuery) -> Vec<ColumnFilter> {
    let text = |s: &String| Value::Text(s.clone());
    [
        ("host", "entries_by_host", query.host.as_ref().map(text)),
        (
            "collection",
            "entries_by_collection",
            query.collection.as_ref().map(text),
        ),
        (
            "method",
            "entries_by_method",
            query.method.as_ref().map(text),
        ),
        (
            "status_class",
            "entries_by_status_class",
            query.status_class.map(|c| Value::Integer(i64::from(c))),
        ),
    ]
    .into_iter()
    .filter_map(|(column, index, value)| {
        value.map(|value| ColumnFilter {
            column,
            index,
            value,
        })
    })
    .collect()
}

fn choose_driver(
    conn: &Connection,
    before_id: Option<i64>,
    columns: &[ColumnFilter],
    text: Option<&str>,
) -> rusqlite::Result<Driver> {
    match (columns.len(), text) {
        (0, None) => return Ok(Driver::Everything),
        (0, Some(_)) => return Ok(Driver::Text),
        (1, None) => return Ok(Driver::Column(0)),
        _ => {}
    }
    let before = before_id.unwrap_or(i64::MAX);
    let mut best = Driver::Everything;
    let mut fewest = i64::MAX;
    if let Some(fts) = text {
        fewest = conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT rowid FROM entries_fts
                 WHERE entries_fts MATCH ?1 AND rowid < ?2 LIMIT ?3)",
            )?
            .query_row(rusqlite::params![fts, before, COUNT_CAP], |r| r.get(0))?;
        best = Driver::Text;
    }
    for (i, filter) in columns.iter().enumerate() {
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM entries INDEXED BY {} WHERE {} = ?1 AND id < ?2 LIMIT ?3)",
            filter.index, filter.column
        );
        let count: i64 = conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params![filter.value, before, COUNT_CAP], |r| {
                r.get(0)
            })?;
        if count < fewest {
            fewest = count;
            best = Driver::Column(i);
        }
    }
    Ok(best)
}
