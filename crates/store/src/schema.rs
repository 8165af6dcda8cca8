//! The history schema, as the ordered list of steps that build it.
//!
//! A database's `PRAGMA user_version` is the number of steps applied to it. Steps are only ever
//! appended: a released step never changes, because databases out there already ran it. Each
//! step runs inside one transaction together with its version bump, so it must not contain
//! statements SQLite refuses inside a transaction (`VACUUM`, `PRAGMA journal_mode`).

/// One schema step: SQL run as a batch. Its version is its position in the list, from 1.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// What the step is for, shown in errors and logs.
    pub name: &'static str,
    pub sql: &'static str,
}

/// Marks a file as a Sextant history (`PRAGMA application_id`, the ASCII bytes "SXTH"), so that
/// some other program's SQLite database is recognised and left alone.
pub const APPLICATION_ID: i32 = 0x5358_5448;

/// The steps that build the current schema, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        name: "entries",
        sql: r#"
PRAGMA application_id = 1398297672;

-- What lists and filters read: small rows, so walking and looking them up stays cheap.
CREATE TABLE entries (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so ids stay valid references
    at_ms              INTEGER NOT NULL,
    source             TEXT    NOT NULL CHECK (source IN ('app', 'cli')),
    collection         TEXT,
    method             TEXT    NOT NULL COLLATE NOCASE,
    url                TEXT    NOT NULL,
    host               TEXT    COLLATE NOCASE,
    status             INTEGER,
    status_class       INTEGER NOT NULL GENERATED ALWAYS AS (coalesce(status / 100, 0)) VIRTUAL,
    body_size          INTEGER NOT NULL CHECK (body_size >= 0),
    duration_ms        REAL    NOT NULL,
    error_code         TEXT,
    response_body_path TEXT
);

-- The bulky rest, read only when one entry is opened (and by the full-text triggers).
CREATE TABLE entry_details (
    entry_id           INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
    request_headers    TEXT NOT NULL,                     -- JSON [[name, value], ...]
    request_body       TEXT,
    response_headers   TEXT NOT NULL,                     -- JSON [[name, value], ...]
    response_body_text TEXT,
    timings_json       TEXT,
    error_message      TEXT
);

-- Each index also orders by id within a key, so a filter plus "newest first" is a range scan.
CREATE INDEX entries_by_host ON entries (host);
CREATE INDEX entries_by_method ON entries (method);
CREATE INDEX entries_by_status_class ON entries (status_class);
CREATE INDEX entries_by_collection ON entries (collection);
CREATE INDEX entries_by_time ON entries (at_ms);
"#,
    },
    Migration {
        name: "full-text search",
        sql: r#"
-- The text each entry is searched by, defined once for the triggers and the backfill.
CREATE VIEW entries_search_text (id, url, request, response) AS
SELECT
    e.id,
    e.url,
    coalesce((SELECT group_concat((h.value ->> 0) || ': ' || (h.value ->> 1), char(10))
              FROM json_each(d.request_headers) AS h), '')
        || char(10) || coalesce(d.request_body, ''),
    coalesce((SELECT group_concat((h.value ->> 0) || ': ' || (h.value ->> 1), char(10))
              FROM json_each(d.response_headers) AS h), '')
        || char(10) || coalesce(d.response_body_text, '')
        || char(10) || coalesce(e.error_code, '') || ' ' || coalesce(d.error_message, '')
FROM entries AS e JOIN entry_details AS d ON d.entry_id = e.id;

-- Contentless: the text already lives in the tables; the index keeps only what search needs.
CREATE VIRTUAL TABLE entries_fts USING fts5 (
    url, request, response,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- An entry is written as `entries` then `entry_details`, so it is complete once the details are.
CREATE TRIGGER entries_fts_after_insert AFTER INSERT ON entry_details BEGIN
    INSERT INTO entries_fts (rowid, url, request, response)
    SELECT id, url, request, response FROM entries_search_text WHERE id = new.entry_id;
END;

CREATE TRIGGER entries_fts_after_delete AFTER DELETE ON entries BEGIN
    DELETE FROM entries_fts WHERE rowid = old.id;
END;

CREATE TRIGGER entries_fts_after_update AFTER UPDATE ON entry_details BEGIN
    DELETE FROM entries_fts WHERE rowid = old.entry_id;
    INSERT INTO entries_fts (rowid, url, request, response)
    SELECT id, url, request, response FROM entries_search_text WHERE id = new.entry_id;
END;

CREATE TRIGGER entries_fts_after_url_update AFTER UPDATE OF url, error_code ON entries BEGIN
    DELETE FROM entries_fts WHERE rowid = old.id;
    INSERT INTO entries_fts (rowid, url, request, response)
    SELECT id, url, request, response FROM entries_search_text WHERE id = new.id;
END;

INSERT INTO entries_fts (rowid, url, request, response)
SELECT id, url, request, response FROM entries_search_text;
"#,
    },
    Migration {
        name: "request as written",
        sql: r#"
-- The request as the user wrote it (templates, auth settings), JSON, literal secrets replaced by
-- the app; not searched. Entries recorded before this step have none: NULL, and the as-sent
-- copy (secrets masked) is all there is.
ALTER TABLE entry_details ADD COLUMN request_as_written TEXT;
"#,
    },
    Migration {
        name: "request as sent, by response",
        sql: r#"
-- The sent request's body size (the stored body text is masked, so its length is not it); NULL
-- for entries recorded before this step.
ALTER TABLE entry_details ADD COLUMN request_body_bytes INTEGER;
-- The window asks for the request behind a response by its body file.
CREATE INDEX entries_by_body_path ON entries (response_body_path);
"#,
    },
    Migration {
        name: "websocket sessions",
        sql: r#"
-- A WebSocket connection recorded as an entry (method WS): how it ended and how many frames it
-- had; its frames (a preview of each) up to `frame_cap` are in ws_frames. The frames' text is
-- also in the entry's response_body_text, so the full-text search finds it.
CREATE TABLE ws_sessions (
    entry_id     INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
    frames_total INTEGER NOT NULL CHECK (frames_total >= 0),
    frame_cap    INTEGER NOT NULL CHECK (frame_cap >= 0),
    close_code   INTEGER,
    close_reason TEXT    NOT NULL DEFAULT '',
    initiator    TEXT    CHECK (initiator IN ('client', 'server', 'abnormal'))
);

CREATE TABLE ws_frames (
    entry_id  INTEGER NOT NULL REFERENCES ws_sessions (entry_id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    direction TEXT    NOT NULL CHECK (direction IN ('sent', 'received')),
    opcode    TEXT    NOT NULL CHECK (opcode IN ('text', 'binary', 'ping', 'pong', 'close')),
    at_ms     INTEGER NOT NULL,
    size      INTEGER NOT NULL,
    data      TEXT    NOT NULL,
    truncated INTEGER NOT NULL,
    PRIMARY KEY (entry_id, seq)
) WITHOUT ROWID;
"#,
    },
    Migration {
        name: "collection runs",
        sql: r#"
-- The entries a collection run recorded, by run id, in the order the run lists its results
-- (seq); an entry is in at most one run. Deleted with the entry.
CREATE TABLE run_entries (
    entry_id INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
    run_id   TEXT    NOT NULL,
    seq      INTEGER NOT NULL
);
CREATE INDEX run_entries_by_run ON run_entries (run_id, seq);
"#,
    },
    Migration {
        name: "run records",
        sql: r#"
-- A finished collection run as the run view showed it, so it can be reopened later: what was
-- run (path, name, options), its counts, and each result (assertions with expected and actual
-- included) as the JSON of a `RunResult`. Results of requests that were never sent (an
-- undefined variable, a skipped WebSocket) are here too, unlike in run_entries.
CREATE TABLE runs (
    run_id       TEXT    PRIMARY KEY,
    at_ms        INTEGER NOT NULL,
    path         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    environment  TEXT,
    total        INTEGER NOT NULL,
    passed       INTEGER NOT NULL,
    failed       INTEGER NOT NULL,
    errors       INTEGER NOT NULL,
    duration_ms  REAL    NOT NULL,
    stopped      INTEGER NOT NULL,
    options_json TEXT    NOT NULL
);
CREATE INDEX runs_by_time ON runs (at_ms);

CREATE TABLE run_results (
    run_id      TEXT    NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    result_json TEXT    NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
"#,
    },
    Migration {
        name: "full-text index per batch",
        sql: r#"
-- A run's batch writer holds a row here inside its open write transaction (never committed:
-- it is deleted before each commit, and no other connection can write meanwhile) and indexes
-- the batch's entries with one statement just before it commits. Indexed entry by entry, the
-- full-text index was flushed to disk at every entry (each statement with a trigger opens a
-- statement journal, and FTS5 flushes when one opens).
CREATE TABLE fts_hold (one INTEGER PRIMARY KEY);

DROP TRIGGER entries_fts_after_insert;
CREATE TRIGGER entries_fts_after_insert AFTER INSERT ON entry_details
WHEN NOT EXISTS (SELECT 1 FROM fts_hold) BEGIN
    INSERT INTO entries_fts (rowid, url, request, response)
    SELECT id, url, request, response FROM entries_search_text WHERE id = new.entry_id;
END;
"#,
    },
];

/// The schema version this build writes and reads.
pub const CURRENT_VERSION: u32 = MIGRATIONS.len() as u32;
