//! The client certificates (mTLS) a request inside a collection presents, read for the engine.
//!
//! Certificate and key paths are relative to the collection folder and must stay inside it (after
//! symlinks are followed), like the files a body reads; a file elsewhere is refused with
//! `FileNotAllowed` unless the user allowed that exact file (the same per-file consent as body
//! files). A folder's certificates come before those of the folders around it and the
//! collection's, so the innermost pattern that matches a host wins.

use std::path::{Path, PathBuf};

use sextant_engine::ClientIdentity;
use sextant_model::{ApiError, ErrorCode, FolderSettings};

use crate::file_access::Consent;

/// The most bytes one certificate or key file may have: real ones are a few KiB.
const MAX_PEM_BYTES: u64 = 1024 * 1024;

/// The identities the folder chain (`chain[0]` the collection's settings) configures, read from
/// `collection_dir`.
pub(crate) fn identities(
    chain: &[FolderSettings],
    collection_dir: &Path,
    consent: &Consent,
) -> Result<Vec<ClientIdentity>, ApiError> {
    let configured: Vec<_> = chain
        .iter()
        .rev()
        .flat_map(|s| s.client_certificates.iter())
        .filter(|c| c.enabled)
        .collect();
    if configured.is_empty() {
        return Ok(Vec::new());
    }
    let root = std::fs::canonicalize(collection_dir).map_err(|e| {
        ApiError::new(
            ErrorCode::Io,
            format!(
                "cannot read the collection folder {}: {e}",
                collection_dir.display()
            ),
        )
    })?;
    configured
        .into_iter()
        .map(|c| {
            let cert = read(&root, &c.cert_path, "certificate", &c.host, consent)?;
            let key = read(&root, &c.key_path, "key", &c.host, consent)?;
            Ok(ClientIdentity::from_pem(&c.host, &cert, &key)?)
        })
        .collect()
}

fn read(
    root: &Path,
    raw: &str,
    what: &str,
    host: &str,
    consent: &Consent,
) -> Result<Vec<u8>, ApiError> {
    let given = Path::new(raw.trim());
    let joined: PathBuf = if given.is_absolute() {
        given.to_path_buf()
    } else {
        root.join(given)
    };
    let file = std::fs::canonicalize(&joined).map_err(|e| {
        ApiError::new(
            ErrorCode::Io,
            format!(
                "cannot read the client {what} file {} for {host}: {e}",
                joined.display()
            ),
        )
    })?;
    if !file.starts_with(root) && !consent.contains(&file)? {
        return Err(ApiError::new(
            ErrorCode::FileNotAllowed,
            format!(
                "not sent: the client {what} file {} for {host} is outside the collection \
                 folder {}; move it inside (a path relative to the collection) or allow this file",
                file.display(),
                root.display()
            ),
        ));
    }
    let len = std::fs::metadata(&file).map_err(|e| io(&file, e))?.len();
    if len > MAX_PEM_BYTES {
        return Err(ApiError::new(
            ErrorCode::TooLarge,
            format!(
                "the client {what} file {} for {host} is larger than 1 MiB, the limit for a \
                 certificate or key file",
                file.display()
            ),
        ));
    }
    std::fs::read(&file).map_err(|e| io(&file, e))
}

fn io(file: &Path, e: std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Io,
        format!("cannot read {}: {e}", file.display()),
    )
}
