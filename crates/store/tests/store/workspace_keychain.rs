//! The secret store's key in a real OS keychain (freedesktop Secret Service). Needs a running,
//! unlocked Secret Service on the session bus, so it runs only with `SEXTANT_TEST_KEYCHAIN=1`;
//! `scripts/test.sh` starts a private bus and gnome-keyring for it, and sets
//! `SEXTANT_SECRETS_BACKEND=keychain` over the `file` that `.cargo/config.toml` gives every test.
#![cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]

use std::fs;

use keyring::Entry;
use sextant_store::workspace::{keychain_account, SecretBackend, KEYCHAIN_SERVICE};
use sextant_store::SecretStore;

fn enabled() -> bool {
    if std::env::var("SEXTANT_TEST_KEYCHAIN").as_deref() == Ok("1") {
        assert_ne!(
            std::env::var("SEXTANT_SECRETS_BACKEND").as_deref(),
            Ok("file"),
            "SEXTANT_SECRETS_BACKEND=file forces the key file (.cargo/config.toml sets it for \
             tests): run these with SEXTANT_SECRETS_BACKEND=keychain"
        );
        return true;
    }
    println!("skipped: set SEXTANT_TEST_KEYCHAIN=1 with an unlocked Secret Service on the bus");
    false
}

/// Deletes the keychain entry of a data folder when the test ends, passing or not.
struct Forget(Entry);

impl Drop for Forget {
    fn drop(&mut self) {
        let _ = self.0.delete_credential();
    }
}

fn entry_for(dir: &std::path::Path) -> Forget {
    let account = keychain_account(dir).unwrap();
    Forget(Entry::new(KEYCHAIN_SERVICE, &account).unwrap())
}

#[test]
fn the_key_lives_in_the_keychain_one_per_data_folder() {
    if !enabled() {
        return;
    }
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let entry_a = entry_for(a.path());
    let entry_b = entry_for(b.path());

    let store = SecretStore::open(a.path()).unwrap();
    store.set("c/r.yaml#auth/token", "tok-keychain").unwrap();
    assert_eq!(store.backend(), SecretBackend::Keychain);
    assert!(!a.path().join("secrets.key").exists());
    assert!(a.path().join("secrets.enc").exists());
    let key_a = entry_a.0.get_password().unwrap();
    assert_eq!(key_a.len(), 64, "a 32-byte key as hex");
    drop(store);

    let store = SecretStore::open(a.path()).unwrap();
    assert_eq!(store.backend(), SecretBackend::Keychain);
    assert_eq!(
        store.get("c/r.yaml#auth/token").unwrap().as_deref(),
        Some("tok-keychain")
    );

    let other = SecretStore::open(b.path()).unwrap();
    assert_eq!(other.backend(), SecretBackend::Keychain);
    assert!(!b.path().join("secrets.key").exists());
    assert_ne!(entry_b.0.get_password().unwrap(), key_a);
    // The other folder's key cannot read this folder's store.
    fs::copy(a.path().join("secrets.enc"), b.path().join("secrets.enc")).unwrap();
    assert!(SecretStore::open(b.path()).is_err());
}

#[test]
fn an_existing_key_file_is_kept_not_migrated() {
    if !enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let entry = entry_for(dir.path());
    fs::write(dir.path().join("secrets.key"), [9u8; 32]).unwrap();
    let store = SecretStore::open(dir.path()).unwrap();
    store.set("k", "v").unwrap();
    assert_eq!(store.backend(), SecretBackend::File);
    assert!(matches!(
        entry.0.get_password(),
        Err(keyring::Error::NoEntry)
    ));
    drop(store);
    assert_eq!(
        SecretStore::open(dir.path())
            .unwrap()
            .get("k")
            .unwrap()
            .as_deref(),
        Some("v")
    );
}

#[test]
fn a_store_whose_keychain_key_is_gone_is_an_error_not_a_fresh_store() {
    if !enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let entry = entry_for(dir.path());
    let store = SecretStore::open(dir.path()).unwrap();
    store.set("k", "v").unwrap();
    assert_eq!(store.backend(), SecretBackend::Keychain);
    drop(store);
    entry.0.delete_credential().unwrap();
    let err = SecretStore::open(dir.path()).unwrap_err();
    assert!(err.to_string().contains("keychain"), "{err}");
    assert!(matches!(
        entry.0.get_password(),
        Err(keyring::Error::NoEntry)
    ));
}
