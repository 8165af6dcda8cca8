//! The local secret store: secret variable values and literal auth secrets that must not be
//! written into collection files (which people commit and share). One encrypted file in a data
//! folder the caller chooses, outside the workspace: XChaCha20-Poly1305 over the JSON of a
//! `key -> value` map, written atomically. Keys are `<workspace-relative file>#<scope>`, for
//! example `demo-api/items/create-item.yaml#auth/token` or
//! `demo-api/environments/local.yaml#variables/apiKey`.
//!
//! The random 256-bit key lives in the OS keychain when one is available, else in a `0600` file
//! `secrets.key` beside the store ([`SecretStore::backend`] tells which):
//!
//! - `SEXTANT_SECRETS_BACKEND=file` always uses the key file.
//! - Otherwise, on Linux and the BSDs, the freedesktop Secret Service (gnome-keyring, KWallet) is
//!   asked, but only when `DBUS_SESSION_BUS_ADDRESS` is set, so libdbus never autolaunches a bus.
//!   The entry is service [`KEYCHAIN_SERVICE`], account [`keychain_account`] (a hash of the data
//!   folder's canonical path, so two data folders never share a key), holding the key as 64
//!   lowercase hex digits. Found: it is used. Missing: an existing key file is kept (never migrated
//!   silently); with no key file a new key is stored in the keychain. Any keychain failure falls
//!   back to the key file.
//! - Other platforms use the key file (keyring's in-memory mock is never used).
//!
//! A keychain call cannot hang for long on a dead or absent bus: the bus guard above, then a 2 s
//! D-Bus call timeout in the Secret Service client. The crate offers no timeout for an unlock
//! prompt: if the keychain is locked, opening waits until the user answers the OS dialog. Two
//! processes creating the key of one new data folder at the same instant could each store one;
//! the key is read back after storing, which narrows but does not close that window.
//!
//! The key file protects against the secrets turning up in a shared folder, a backup of the
//! workspace or a screenshot of a file, not against someone who can read the user's data folder;
//! the keychain also keeps the key out of that folder.

use std::collections::BTreeMap;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};

use super::atomic::{write_atomic, Mode};
use crate::{SealError, StoreError};

mod key_source;

pub use key_source::{keychain_account, SecretBackend, KEYCHAIN_SERVICE};

const STORE_FILE: &str = "secrets.enc";
const KEY_FILE: &str = "secrets.key";
const MAGIC: &[u8; 8] = b"SXSEC\x00\x00\x01";
const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;

/// The encrypted local store of secret values.
pub struct SecretStore {
    file: PathBuf,
    cipher: XChaCha20Poly1305,
    backend: SecretBackend,
    // Serialises read-modify-write cycles within this process.
    lock: Mutex<()>,
}

impl std::fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretStore")
            .field("file", &self.file)
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl SecretStore {
    /// Opens (creating when needed) the store in `data_dir`: `secrets.enc`, with its key in the OS
    /// keychain or in `secrets.key` (see the module doc for which). Refuses to start over when the
    /// store file exists but its key is nowhere to be found, so secrets are never silently
    /// replaced by an empty store.
    pub fn open(data_dir: impl AsRef<Path>) -> Result<Self, StoreError> {
        let dir = data_dir.as_ref();
        crate::private::ensure_private_dir(dir).map_err(|e| StoreError::io(dir, e))?;
        let file = dir.join(STORE_FILE);
        let (key, backend) = key_source::obtain(dir, &file)?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(&key));
        let store = Self {
            file,
            cipher,
            backend,
            lock: Mutex::new(()),
        };
        store.load()?;
        Ok(store)
    }

    /// Where this store's key is kept.
    pub fn backend(&self) -> SecretBackend {
        self.backend
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
        if !bytes.starts_with(MAGIC) {
            return Err(bad("not a Sextant secret store"));
        }
        let plain = self
            .unseal(MAGIC, &bytes)
            .map_err(|source| StoreError::Sealed {
                path: self.file.clone(),
                source,
            })?;
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
        let bytes = self
            .seal(MAGIC, &plain)
            .map_err(|source| StoreError::Sealed {
                path: self.file.clone(),
                source,
            })?;
        let display = self.file.display().to_string();
        write_atomic(&self.file, &bytes, Mode::Replace, true, &display)
    }

    /// `magic`, a fresh nonce and `plain` encrypted with this store's key, `magic` bound in as
    /// associated data (so one kind of sealed file cannot pass for another).
    pub(crate) fn seal(&self, magic: &[u8], plain: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(SealError::NoRandom)?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: magic,
                },
            )
            .map_err(|_| SealError::Encrypt)?;
        let mut bytes = Vec::with_capacity(magic.len() + NONCE_LEN + sealed.len());
        bytes.extend_from_slice(magic);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        Ok(bytes)
    }

    /// The plain bytes of what [`SecretStore::seal`] made with the same `magic`.
    pub(crate) fn unseal(&self, magic: &[u8], bytes: &[u8]) -> Result<Vec<u8>, SealError> {
        if bytes.len() < magic.len() + NONCE_LEN || !bytes.starts_with(magic) {
            return Err(SealError::NotSealed);
        }
        let (nonce, sealed) = bytes[magic.len()..].split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: magic,
                },
            )
            .map_err(|_| SealError::Decrypt)
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
