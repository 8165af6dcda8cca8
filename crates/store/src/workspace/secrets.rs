//! The local secret store: secret variable values and literal auth secrets that must not be
//! written into collection files (which people commit and share). One encrypted file in a data
//! folder the caller chooses, outside the workspace: XChaCha20-Poly1305 over the JSON of a
//! `key -> value` map, with a random 256-bit key in a `0600` file beside it. Both files are
//! written atomically. Keys are `<workspace-relative file>#<scope>`, for example
//! `demo-api/items/create-item.yaml#auth/token` or `demo-api/environments/local.yaml#variables/apiKey`.
//!
//! The key file protects against the secrets turning up in a shared folder, a backup of the
//! workspace or a screenshot of a file, not against someone who can read the user's data folder.
//! The OS keychain is not used yet (see `docs/FORMAT.md`).

use std::collections::BTreeMap;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};

use super::atomic::{write_atomic, Mode};
use crate::StoreError;

const STORE_FILE: &str = "secrets.enc";
const KEY_FILE: &str = "secrets.key";
const MAGIC: &[u8; 8] = b"SXSEC\x00\x00\x01";
const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;

/// The encrypted local store of secret values.
pub struct SecretStore {
    file: PathBuf,
    cipher: XChaCha20Poly1305,
    // Serialises read-modify-write cycles within this process.
    lock: Mutex<()>,
}

impl std::fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretStore")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl SecretStore {
    /// Opens (creating when needed) the store in `data_dir`: `secrets.enc` and `secrets.key`.
    /// Refuses to start over when the store file exists but its key file does not, so secrets
    /// are never silently replaced by an empty store.
    pub fn open(data_dir: impl AsRef<Path>) -> Result<Self, StoreError> {
        let dir = data_dir.as_ref();
        fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        let file = dir.join(STORE_FILE);
        let key_path = dir.join(KEY_FILE);
        let key = match fs::read(&key_path) {
            Ok(key) => key,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                if file.exists() {
                    return Err(StoreError::Secrets {
                        path: file,
                        detail: format!(
                            "its key file {} is missing, so the secrets cannot be read",
                            key_path.display()
                        ),
                    });
                }
                let mut key = vec![0u8; KEY_LEN];
                getrandom::fill(&mut key).map_err(|e| StoreError::Secrets {
                    path: key_path.clone(),
                    detail: format!("no random numbers for a new key: {e}"),
                })?;
                let display = key_path.display().to_string();
                match write_atomic(&key_path, &key, Mode::CreateNew, true, &display) {
                    Ok(()) => key,
                    // Another process created it first: use theirs.
                    Err(StoreError::AlreadyExists { .. }) => {
                        fs::read(&key_path).map_err(|e| StoreError::io(&key_path, e))?
                    }
                    Err(e) => return Err(e),
                }
            }
            Err(e) => return Err(StoreError::io(&key_path, e)),
        };
        if key.len() != KEY_LEN {
            return Err(StoreError::Secrets {
                path: key_path,
                detail: format!("the key file holds {} bytes, not {KEY_LEN}", key.len()),
            });
        }
        let cipher = XChaCha20Poly1305::new(Key::from_slice(&key));
        let store = Self {
            file,
            cipher,
            lock: Mutex::new(()),
        };
        store.load()?;
        Ok(store)
    }

    /// The value stored under `key`.
    pub fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.load()?.remove(key))
    }

    /// Every key, sorted.
    pub fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.load()?.into_keys().collect())
    }

    /// Stores `value` under `key`.
    pub fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.update(|map| {
            map.insert(key.to_string(), value.to_string());
        })
    }

    /// Removes `key`; returns whether it was there.
    pub fn remove(&self, key: &str) -> Result<bool, StoreError> {
        let mut found = false;
        self.update(|map| found = map.remove(key).is_some())?;
        Ok(found)
    }

    /// A snapshot of every secret.
    pub(crate) fn load(&self) -> Result<BTreeMap<String, String>, StoreError> {
        let bytes = match fs::read(&self.file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(StoreError::io(&self.file, e)),
        };
        let bad = |detail: &str| StoreError::Secrets {
            path: self.file.clone(),
            detail: detail.to_string(),
        };
        if bytes.len() < MAGIC.len() + NONCE_LEN || &bytes[..MAGIC.len()] != MAGIC {
            return Err(bad("not a Sextant secret store"));
        }
        let (nonce, sealed) = bytes[MAGIC.len()..].split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: MAGIC,
                },
            )
            .map_err(|_| bad("cannot decrypt it: the key file does not match, or it is damaged"))?;
        serde_json::from_slice(&plain).map_err(|e| bad(&format!("unreadable content: {e}")))
    }

    /// Reads the store, applies `change`, and writes it back if anything changed. Reading first
    /// keeps the changes another process made in the meantime.
    pub(crate) fn update(
        &self,
        change: impl FnOnce(&mut BTreeMap<String, String>),
    ) -> Result<(), StoreError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let before = self.load()?;
        let mut map = before.clone();
        change(&mut map);
        if map == before {
            return Ok(());
        }
        self.save(&map)
    }

    fn save(&self, map: &BTreeMap<String, String>) -> Result<(), StoreError> {
        let plain = serde_json::to_vec(map).map_err(|e| StoreError::Secrets {
            path: self.file.clone(),
            detail: e.to_string(),
        })?;
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| StoreError::Secrets {
            path: self.file.clone(),
            detail: format!("no random numbers for a nonce: {e}"),
        })?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: MAGIC,
                },
            )
            .map_err(|_| StoreError::Secrets {
                path: self.file.clone(),
                detail: "encryption failed".to_string(),
            })?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        let display = self.file.display().to_string();
        write_atomic(&self.file, &bytes, Mode::Replace, true, &display)
    }

    /// Replaces every secret of one file (keys `<file>#...`) with `values` (`(scope, value)`).
    pub(crate) fn replace_file(
        &self,
        file: &str,
        values: &[(String, String)],
    ) -> Result<(), StoreError> {
        let prefix = format!("{file}#");
        self.update(|map| {
            map.retain(|k, _| !k.starts_with(&prefix));
            for (scope, value) in values {
                map.insert(format!("{prefix}{scope}"), value.clone());
            }
        })
    }

    /// Moves (or, with `keep`, copies) every key starting with `from` to start with `to`.
    pub(crate) fn rekey(&self, from: &str, to: &str, keep: bool) -> Result<(), StoreError> {
        self.update(|map| {
            let moved: Vec<(String, String)> = map
                .range(from.to_string()..)
                .take_while(|(k, _)| k.starts_with(from))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (key, value) in moved {
                if !keep {
                    map.remove(&key);
                }
                map.insert(format!("{to}{}", &key[from.len()..]), value);
            }
        })
    }

    /// A lookup for one file's scopes, from a snapshot.
    pub(crate) fn scoped<'a>(
        snapshot: &'a BTreeMap<String, String>,
        file: &'a str,
    ) -> impl Fn(&str) -> Option<String> + 'a {
        move |scope| snapshot.get(&format!("{file}#{scope}")).cloned()
    }
}

/// The secret-store prefix of everything at or under a workspace path: `<file>#` for a file,
/// `<dir>/` for a folder.
pub(crate) fn prefix_of(path: &str, is_dir: bool) -> String {
    if is_dir {
        format!("{path}/")
    } else {
        format!("{path}#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_survive_reopening_and_are_not_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = SecretStore::open(dir.path()).unwrap();
        store.set("c/r.yaml#auth/token", "tok-very-secret").unwrap();
        drop(store);
        let store = SecretStore::open(dir.path()).unwrap();
        assert_eq!(
            store.get("c/r.yaml#auth/token").unwrap().as_deref(),
            Some("tok-very-secret")
        );
        let raw = fs::read(dir.path().join(STORE_FILE)).unwrap();
        assert!(!raw.windows(15).any(|w| w == b"tok-very-secret"));
        assert!(store.remove("c/r.yaml#auth/token").unwrap());
        assert_eq!(store.keys().unwrap(), Vec::<String>::new());
    }

    #[test]
    fn a_lost_key_file_is_an_error_not_a_fresh_store() {
        let dir = tempfile::tempdir().unwrap();
        SecretStore::open(dir.path())
            .unwrap()
            .set("k", "v")
            .unwrap();
        fs::remove_file(dir.path().join(KEY_FILE)).unwrap();
        let err = SecretStore::open(dir.path()).unwrap_err();
        assert!(matches!(err, StoreError::Secrets { .. }), "{err}");
        assert!(dir.path().join(STORE_FILE).exists());
    }

    #[test]
    fn a_wrong_key_cannot_decrypt() {
        let dir = tempfile::tempdir().unwrap();
        SecretStore::open(dir.path())
            .unwrap()
            .set("k", "v")
            .unwrap();
        fs::write(dir.path().join(KEY_FILE), [7u8; KEY_LEN]).unwrap();
        assert!(SecretStore::open(dir.path()).is_err());
    }

    #[test]
    fn rekeying_moves_or_copies_a_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let store = SecretStore::open(dir.path()).unwrap();
        store.set("c/a/x.yaml#auth/token", "1").unwrap();
        store.set("c/ab.yaml#auth/token", "2").unwrap();
        store.rekey("c/a/", "c/b/", false).unwrap();
        assert_eq!(
            store.keys().unwrap(),
            ["c/ab.yaml#auth/token", "c/b/x.yaml#auth/token"]
        );
        store.rekey("c/b/", "c/d/", true).unwrap();
        assert_eq!(
            store.get("c/d/x.yaml#auth/token").unwrap().as_deref(),
            Some("1")
        );
        assert_eq!(
            store.get("c/b/x.yaml#auth/token").unwrap().as_deref(),
            Some("1")
        );
    }
}
