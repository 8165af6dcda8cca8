//! The app's small state files (session, remembered specs): a value comes back as saved, a
//! damaged or oversized file is an `InvalidFile` error (never a panic), and a reader running
//! beside a writer only ever sees a whole file.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sextant_model::ErrorCode;
use sextant_store::workspace::{is_temp_name, StateFile, MAX_STATE_FILE_BYTES};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tabs {
    keys: Vec<String>,
    active: Option<String>,
}

fn tabs(n: usize) -> Tabs {
    Tabs {
        keys: (0..n)
            .map(|i| format!("tab-{i}-{}", "x".repeat(64)))
            .collect(),
        active: Some(format!("tab-{}", n / 2)),
    }
}

#[test]
fn a_saved_value_loads_back_and_no_file_is_none() {
    let dir = tempfile::tempdir().unwrap();
    let file = StateFile::new(dir.path().join("nested/session.json"));
    assert_eq!(file.load::<Tabs>().unwrap(), None);
    file.save(&tabs(3)).unwrap();
    assert_eq!(file.load::<Tabs>().unwrap(), Some(tabs(3)));
    file.save(&tabs(1)).unwrap();
    assert_eq!(file.load::<Tabs>().unwrap(), Some(tabs(1)));
    let names: Vec<String> = std::fs::read_dir(dir.path().join("nested"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["session.json"], "no temp file is left");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_damaged_file_is_an_invalid_file_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = StateFile::new(dir.path().join("session.json"));
    for bytes in [
        &b"{\"keys\": [\"a\", "[..],
        b"",
        b"\xff\xfe\x00garbage",
        b"[1, 2]",
    ] {
        std::fs::write(file.path(), bytes).unwrap();
        let err = file.load::<Tabs>().unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidFile, "{err}");
    }
}

#[test]
fn an_oversized_file_is_refused_naming_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let file = StateFile::new(dir.path().join("session.json"));
    let f = std::fs::File::create(file.path()).unwrap();
    f.set_len(MAX_STATE_FILE_BYTES + 10).unwrap();
    let err = file.load::<Tabs>().unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidFile);
    assert!(
        err.to_string().contains(&MAX_STATE_FILE_BYTES.to_string()),
        "{err}"
    );
}

#[test]
fn a_reader_beside_a_writer_only_sees_whole_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = StateFile::new(dir.path().join("session.json"));
    file.save(&tabs(1)).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let file = file.clone();
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            for round in 0..200 {
                file.save(&tabs(1 + round % 50)).unwrap();
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    let mut reads = 0;
    while !done.load(Ordering::SeqCst) {
        let value = file.load::<Tabs>().expect("a whole file").expect("a file");
        assert!(!value.keys.is_empty());
        reads += 1;
    }
    writer.join().unwrap();
    assert!(reads > 0);
    assert_eq!(file.load::<Tabs>().unwrap(), Some(tabs(50)));
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| is_temp_name(n))
        .collect();
    assert!(left.is_empty(), "temp files left: {left:?}");
}
