//! Damaged files: a clear `Corrupt` error naming the file, and the file left byte for byte.

use std::path::Path;

use sextant_model::{ApiError, ErrorCode};
use sextant_store::{History, StoreError};

use crate::support::{entry, temp_db};

fn assert_corrupt_and_untouched(path: &Path) {
    let before = std::fs::read(path).expect("read the file");
    match History::open(path) {
        Err(StoreError::Corrupt {
            path: named,
            detail,
        }) => {
            assert_eq!(named, path);
            assert!(!detail.is_empty());
        }
        other => panic!("expected Corrupt for {}, got {other:?}", path.display()),
    }
    assert_eq!(
        std::fs::read(path).expect("read again"),
        before,
        "the file was modified"
    );
    let dir = path.parent().expect("in a dir");
    let names: Vec<String> = std::fs::read_dir(dir)
        .expect("list the dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, ["history.sqlite"], "nothing was left beside it");
}

/// Bytes that look random but are the same on every run.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

#[test]
fn a_damaged_history_reaches_the_ui_as_an_invalid_file_naming_it() {
    let db = temp_db();
    std::fs::write(&db.path, noise(4096)).unwrap();
    let Err(err) = History::open(&db.path) else {
        panic!("a damaged file opened");
    };
    let api = ApiError::from(err);
    assert_eq!(api.code, ErrorCode::InvalidFile);
    assert!(
        api.message.contains(&db.path.display().to_string()),
        "{}",
        api.message
    );
}

#[test]
fn random_bytes_are_corrupt() {
    let db = temp_db();
    for len in [100, 4096, 70_000] {
        std::fs::write(&db.path, noise(len)).unwrap();
        assert_corrupt_and_untouched(&db.path);
    }
}

#[test]
fn a_text_file_is_corrupt_and_the_message_names_it() {
    let db = temp_db();
    std::fs::write(&db.path, "this is not a database\n".repeat(50)).unwrap();
    let err = History::open(&db.path).unwrap_err();
    assert!(err.to_string().contains("history.sqlite"), "{err}");
    assert_corrupt_and_untouched(&db.path);
}

/// A real history with enough entries to span many pages, closed cleanly.
fn real_database(path: &Path) -> Vec<u8> {
    let history = History::open(path).unwrap();
    for i in 0..300 {
        let mut e = entry(i, &format!("https://a.test/{i}"));
        e.response_body_text = Some("x".repeat(2000));
        history.record(&e).unwrap();
    }
    drop(history);
    std::fs::read(path).unwrap()
}

#[test]
fn a_truncated_database_is_corrupt() {
    let db = temp_db();
    let whole = real_database(&db.path);
    assert!(whole.len() > 200_000, "{} bytes", whole.len());
    for keep in [whole.len() / 2, whole.len() - 4096, 8192, 4096, 50] {
        std::fs::write(&db.path, &whole[..keep]).unwrap();
        assert_corrupt_and_untouched(&db.path);
    }
}

#[test]
fn a_database_with_a_damaged_page_is_corrupt() {
    let db = temp_db();
    let mut bytes = real_database(&db.path);
    // Page 1 holds the header and the schema; scribbling over it makes the schema unreadable.
    let page_size = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
    bytes[100..page_size].copy_from_slice(&noise(page_size - 100));
    std::fs::write(&db.path, &bytes).unwrap();
    assert_corrupt_and_untouched(&db.path);
}
