//! Opening a history file safely: recognising files that are not ours or are damaged before
//! writing a byte, setting the connection up for several processes at once, and bringing the
//! schema up to date without risking what is already recorded. The database, its `-wal` and
//! `-shm` files and its backups are owner-only (see `private`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use crate::error::StoreError;
use crate::schema::{Migration, APPLICATION_ID};

/// How long a write waits for another process's write to finish before giving up.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether SQLite reports the file itself as unreadable, as opposed to a failed operation.
pub(crate) fn is_corruption(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// `error`, as [`StoreError::Corrupt`] when it says the file is damaged.
pub(crate) fn classify(path: &Path, error: rusqlite::Error) -> StoreError {
    if is_corruption(&error) {
        StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: error.to_string(),
        }
    } else {
        StoreError::Sqlite(error)
    }
}

/// How long to wait between attempts when another process holds a lock the busy handler does
/// not wait for.
const RETRY_PAUSE: Duration = Duration::from_millis(20);

pub(crate) fn open_connection(
    path: &Path,
    migrations: &[Migration],
) -> Result<Connection, StoreError> {
    let open_error = |source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    };
    // SQLite creates a missing file with the umask's mode: create it owner-only first. A failure
    // here (a folder in the way, no permission) is left for SQLite to report.
    if std::fs::symlink_metadata(path).is_err() {
        let _ = crate::private::create_private_file(path);
    }
    let mut conn = Connection::open(path).map_err(open_error)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;

    // SQLite reports some lock conflicts at once instead of calling the busy handler: switching
    // a new file to WAL while another process opens it too, or reading a WAL file while another
    // process recovers it after a crash. Setting up is idempotent, so it simply runs again.
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match set_up(&mut conn, path, migrations) {
            Err(e) if is_busy(&e) && Instant::now() < deadline => std::thread::sleep(RETRY_PAUSE),
            Err(e) => return Err(e),
            Ok(()) => {
                tighten_files(path);
                return Ok(conn);
            }
        }
    }
}

/// Makes the database and the `-wal`/`-shm` files SQLite made beside it owner-only (an older
/// version created them with the umask's mode). Best effort: a file it cannot change keeps
/// working.
fn tighten_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = crate::private::tighten(Path::new(&name));
    }
}

fn is_busy(error: &StoreError) -> bool {
    let source = match error {
        StoreError::Open { source, .. }
        | StoreError::Migration { source, .. }
        | StoreError::Sqlite(source) => source,
        _ => return false,
    };
    matches!(
        source.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn set_up(conn: &mut Connection, path: &Path, migrations: &[Migration]) -> Result<(), StoreError> {
    // Only reads until the file is known to be a healthy history (or empty): SQLite opens
    // lazily, so this is where a damaged or foreign file shows itself.
    let probe = read_identity(conn).map_err(|e| {
        if is_corruption(&e) {
            classify(path, e)
        } else {
            StoreError::Open {
                path: path.to_path_buf(),
                source: e,
            }
        }
    })?;
    check_identity(path, &probe, migrations.len() as u32)?;

    // WAL lets the app and the CLI read while the other writes. If the file system cannot do
    // WAL, SQLite keeps the rollback journal, which is slower but still correct.
    conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get::<_, String>(0))
        .map_err(|e| classify(path, e))?;
    // In WAL mode NORMAL loses nothing when a process dies; only a power cut can undo the last
    // commits, never corrupt the file.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| classify(path, e))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(|e| classify(path, e))?;

    migrate(conn, path, probe.user_version, migrations)
}

struct Identity {
    user_version: u32,
    application_id: i32,
    schema_objects: i64,
}

fn read_identity(conn: &Connection) -> rusqlite::Result<Identity> {
    let schema_objects = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok(Identity {
        user_version: conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
        application_id: conn.pragma_query_value(None, "application_id", |r| r.get(0))?,
        schema_objects,
    })
}

fn check_identity(path: &Path, found: &Identity, supported: u32) -> Result<(), StoreError> {
    let ours = found.application_id == APPLICATION_ID;
    let fresh = found.user_version == 0 && found.application_id == 0 && found.schema_objects == 0;
    if !ours && !fresh {
        return Err(StoreError::NotHistory {
            path: path.to_path_buf(),
        });
    }
    if found.user_version > supported {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: found.user_version,
            supported,
        });
    }
    Ok(())
}

/// Applies the steps the database lacks, each with its version bump in one transaction.
///
/// Before changing a database that already holds a schema, a snapshot goes to
/// `<path>.bak-v<version>`. The snapshot is taken while this connection holds the write lock,
/// so no other process can migrate or record in between and it is exactly the version named.
fn migrate(
    conn: &mut Connection,
    path: &Path,
    found: u32,
    migrations: &[Migration],
) -> Result<(), StoreError> {
    let mut backed_up = found == 0;
    for (index, step) in migrations.iter().enumerate().skip(found as usize) {
        let version = index as u32 + 1;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(path, e))?;
        let current: u32 = tx
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| classify(path, e))?;
        if current >= version {
            // Another process applied this step while we were opening.
            continue;
        }
        if !backed_up {
            back_up(path, current)?;
            backed_up = true;
        }
        tx.execute_batch(step.sql)
            .and_then(|()| tx.pragma_update(None, "user_version", version))
            .and_then(|()| tx.commit())
            .map_err(|source| {
                if is_corruption(&source) {
                    classify(path, source)
                } else {
                    StoreError::Migration {
                        path: path.to_path_buf(),
                        version,
                        source,
                    }
                }
            })?;
    }
    let now: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if now > migrations.len() as u32 {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: now,
            supported: migrations.len() as u32,
        });
    }
    Ok(())
}

/// Where the snapshot of `path` at schema `version` goes.
pub fn backup_path(path: &Path, version: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".bak-v{version}"));
    PathBuf::from(name)
}

/// Writes a compact, consistent copy of the committed database next to it.
///
/// Runs on a second connection because `VACUUM INTO` cannot run inside the caller's
/// transaction; that transaction's write lock still keeps writers out meanwhile. The copy is
/// written under a temporary name and renamed, so a crash never leaves a half backup under the
/// real name; an older backup of the same version is replaced by this newer one.
fn back_up(path: &Path, version: u32) -> Result<(), StoreError> {
    let backup = backup_path(path, version);
    let mut tmp_name = backup.as_os_str().to_owned();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp_name);
    let fail = |detail: String| StoreError::Backup {
        path: path.to_path_buf(),
        backup: backup.clone(),
        detail,
    };

    let tmp_text = tmp
        .to_str()
        .ok_or_else(|| fail("the backup path is not valid UTF-8".into()))?;
    match std::fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(e.to_string())),
    }
    let reader = Connection::open(path).map_err(|e| fail(e.to_string()))?;
    reader
        .busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| fail(e.to_string()))?;
    if let Err(e) = reader.execute("VACUUM INTO ?1", [tmp_text]) {
        let _ = std::fs::remove_file(&tmp);
        return Err(if is_corruption(&e) {
            classify(path, e)
        } else {
            fail(e.to_string())
        });
    }
    drop(reader);
    let _ = crate::private::tighten(&tmp);
    std::fs::rename(&tmp, &backup).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e.to_string())
    })
}
