//! Where the secret store's key comes from: the OS keychain when one answers, else the `0600` key
//! file beside the store. Kept apart from the store itself so the choice, with its fallbacks and
//! its guards against a hanging or absent keychain, reads in one place.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{KEY_FILE, KEY_LEN};
use crate::workspace::atomic::{write_atomic, Mode};
use crate::StoreError;

/// The keychain service name under which store keys are kept.
pub const KEYCHAIN_SERVICE: &str = "dev.sextant.app";

/// Set to `file` to never use the keychain.
pub(super) const BACKEND_ENV: &str = "SEXTANT_SECRETS_BACKEND";

/// Where a [`super::SecretStore`]'s key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretBackend {
    /// The OS keychain (on Linux the freedesktop Secret Service, such as gnome-keyring).
    Keychain,
    /// The `secrets.key` file (mode `0600`) beside the store.
    File,
}

/// The keychain account holding the key of the store in `data_dir`: `secret-store-key:` and the
/// first 16 hex digits of the SHA-256 of the folder's canonical path, so two data folders never
/// share a key. `data_dir` must exist.
pub fn keychain_account(data_dir: &Path) -> Result<String, StoreError> {
    let canonical = fs::canonicalize(data_dir).map_err(|e| StoreError::io(data_dir, e))?;
    let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
    Ok(format!("secret-store-key:{}", hex(&digest[..8])))
}

/// The key for the store file `store_file` in `dir`, and where it is kept.
pub(super) fn obtain(
    dir: &Path,
    store_file: &Path,
) -> Result<(Vec<u8>, SecretBackend), StoreError> {
    let key_path = dir.join(KEY_FILE);
    if keychain_allowed() {
        if let Some(key) = keychain::key(dir, store_file, &key_path)? {
            return Ok((key, SecretBackend::Keychain));
        }
    }
    Ok((file_key(store_file, &key_path)?, SecretBackend::File))
}

/// The keychain is asked only when the user did not opt out and a D-Bus session bus is already
/// running: without `DBUS_SESSION_BUS_ADDRESS`, libdbus would try to autolaunch a bus, which can
/// block or pop up an X11 helper.
fn keychain_allowed() -> bool {
    if std::env::var(BACKEND_ENV).is_ok_and(|v| v == "file") {
        return false;
    }
    cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd"
    )) && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
}

/// Reads the key file, creating it with a fresh key when neither it nor the store exists.
fn file_key(store_file: &Path, key_path: &Path) -> Result<Vec<u8>, StoreError> {
    let key = match fs::read(key_path) {
        Ok(key) => key,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            if store_file.exists() {
                return Err(StoreError::Secrets {
                    path: store_file.to_path_buf(),
                    detail: format!(
                        "its key file {} is missing, so the secrets cannot be read",
                        key_path.display()
                    ),
                });
            }
            let key = fresh_key(key_path)?;
            let display = key_path.display().to_string();
            match write_atomic(key_path, &key, Mode::CreateNew, true, &display) {
                Ok(()) => key,
                // Another process created it first: use theirs.
                Err(StoreError::AlreadyExists { .. }) => {
                    fs::read(key_path).map_err(|e| StoreError::io(key_path, e))?
                }
                Err(e) => return Err(e),
            }
        }
        Err(e) => return Err(StoreError::io(key_path, e)),
    };
    if key.len() != KEY_LEN {
        return Err(StoreError::Secrets {
            path: key_path.to_path_buf(),
            detail: format!("the key file holds {} bytes, not {KEY_LEN}", key.len()),
        });
    }
    Ok(key)
}

fn fresh_key(path: &Path) -> Result<Vec<u8>, StoreError> {
    let mut key = vec![0u8; KEY_LEN];
    getrandom::fill(&mut key).map_err(|e| StoreError::Secrets {
        path: path.to_path_buf(),
        detail: format!("no random numbers for a new key: {e}"),
    })?;
    Ok(key)
}

#[cfg_attr(
    not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")),
    allow(dead_code)
)]
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg_attr(
    not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")),
    allow(dead_code)
)]
fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
mod keychain {
    use std::path::Path;

    use keyring::{Entry, Error};

    use super::{fresh_key, hex, keychain_account, unhex, KEYCHAIN_SERVICE, KEY_LEN};
    use crate::StoreError;

    /// The key from the keychain, `None` to use the key file instead: the keychain failed, or it
    /// has no key for this folder while a key file exists (it is never migrated silently).
    pub(super) fn key(
        dir: &Path,
        store_file: &Path,
        key_path: &Path,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let account = keychain_account(dir)?;
        let Ok(entry) = Entry::new(KEYCHAIN_SERVICE, &account) else {
            return Ok(None);
        };
        match entry.get_password() {
            Ok(stored) => decode(&stored, &account, store_file).map(Some),
            Err(Error::NoEntry) => {
                if key_path.exists() {
                    return Ok(None);
                }
                if store_file.exists() {
                    return Err(StoreError::Secrets {
                        path: store_file.to_path_buf(),
                        detail: format!(
                            "neither the keychain ({KEYCHAIN_SERVICE} / {account}) nor the key \
                             file {} holds its key, so the secrets cannot be read",
                            key_path.display()
                        ),
                    });
                }
                let key = fresh_key(store_file)?;
                if entry.set_password(&hex(&key)).is_err() {
                    return Ok(None);
                }
                // Read back what the keychain kept, in case another process stored its key too.
                match entry.get_password() {
                    Ok(stored) => decode(&stored, &account, store_file).map(Some),
                    Err(_) => Ok(None),
                }
            }
            Err(_) => Ok(None),
        }
    }

    fn decode(stored: &str, account: &str, store_file: &Path) -> Result<Vec<u8>, StoreError> {
        unhex(stored)
            .filter(|key| key.len() == KEY_LEN)
            .ok_or_else(|| StoreError::Secrets {
                path: store_file.to_path_buf(),
                detail: format!(
                    "the keychain entry {KEYCHAIN_SERVICE} / {account} does not hold a \
                     {KEY_LEN}-byte hex key"
                ),
            })
    }
}

#[cfg(not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")))]
mod keychain {
    use std::path::Path;

    use crate::StoreError;

    /// No keychain is wired on this platform (keyring would fall back to its in-memory mock).
    pub(super) fn key(_: &Path, _: &Path, _: &Path) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(hex(&bytes), "0001abff");
        assert_eq!(unhex("0001abff").as_deref(), Some(&bytes[..]));
        assert_eq!(unhex("0001abf"), None);
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("é"), None);
    }

    #[test]
    fn accounts_differ_per_folder_and_are_stable() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let account = keychain_account(a.path()).unwrap();
        assert!(account.starts_with("secret-store-key:"), "{account}");
        assert_eq!(account.len(), "secret-store-key:".len() + 16);
        assert_eq!(account, keychain_account(a.path()).unwrap());
        assert_ne!(account, keychain_account(b.path()).unwrap());
    }
}
