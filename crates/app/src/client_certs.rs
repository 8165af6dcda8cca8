//! The client certificates (mTLS) a request inside a collection presents, read for the engine.
//!
//! Certificate and key paths are relative to the collection folder and must stay inside it (after
//! symlinks are followed), like the files a body reads; a file elsewhere is refused with
//! `FileNotAllowed` unless the user allowed that exact file (the same per-file consent as body
//! files). A folder's certificates come before those of the folders around it and the
//! collection's, so the innermost pattern that matches a host wins.
//!
//! A certificate path ending in `.p12` or `.pfx` names a PKCS#12 bundle (certificate and key in
//! one file, no key path); otherwise a PEM key may be an encrypted PKCS#8 key. Either is opened
//! with the certificate's passphrase, rendered first when it holds `{{references}}`.

use std::path::{Path, PathBuf};

use sextant_engine::ClientIdentity;
use sextant_model::{
    ApiError, Auth, ErrorCode, FolderSettings, HttpRequest, KeyValue, SavedRequest,
};
use sextant_template::{Context, ResolveOptions};

use crate::file_access::Consent;

/// The most bytes one certificate or key file may have: real ones are a few KiB.
const MAX_PEM_BYTES: u64 = 1024 * 1024;

/// The header a passphrase is rendered in (see [`render`]).
const PASSPHRASE_ROW: &str = "x-sextant-client-certificate-passphrase";

/// The identities the folder chain (`chain[0]` the collection's settings) configures, read from
/// `collection_dir`; passphrases are rendered in `ctx`.
pub(crate) fn identities(
    chain: &[FolderSettings],
    collection_dir: &Path,
    consent: &Consent,
    ctx: &Context<'_>,
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
            let passphrase = render(&c.passphrase, ctx)?;
            let cert = read(&root, &c.cert_path, "certificate", &c.host, consent)?;
            if is_pkcs12(&c.cert_path) {
                return Ok(ClientIdentity::from_pkcs12(&c.host, &cert, &passphrase)?);
            }
            let key = read(&root, &c.key_path, "key", &c.host, consent)?;
            Ok(ClientIdentity::from_pem_with_passphrase(
                &c.host,
                &cert,
                &key,
                &passphrase,
            )?)
        })
        .collect()
}

fn is_pkcs12(path: &str) -> bool {
    let lower = path.trim().to_ascii_lowercase();
    lower.ends_with(".p12") || lower.ends_with(".pfx")
}

/// `text` with its `{{references}}` substituted as a request's would be: the template engine
/// renders it as the value of a header of an otherwise empty request.
fn render(text: &str, ctx: &Context<'_>) -> Result<String, ApiError> {
    if !text.contains("{{") {
        return Ok(text.to_string());
    }
    let mut request = HttpRequest::get("http://passphrase.invalid/");
    request.headers.push(KeyValue::new(PASSPHRASE_ROW, text));
    let mut saved = SavedRequest::new("", request);
    saved.auth = Auth::None;
    let resolved = sextant_template::resolve(
        &saved,
        ctx,
        &ResolveOptions {
            reveal_secrets: true,
        },
    )?;
    Ok(resolved
        .request
        .headers
        .into_iter()
        .rev()
        .find(|h| h.name == PASSPHRASE_ROW)
        .map(|h| h.value)
        .unwrap_or_default())
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
