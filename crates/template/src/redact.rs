//! Hiding secret values in text that is kept (history, logs) after a request was sent.

/// What a secret value is replaced with.
pub const MASK: &str = "•••";

/// Secrets shorter than this many characters are left alone: masking every `a` or `1` in a body
/// would wreck the text and hide nothing worth hiding.
pub const MIN_SECRET_CHARS: usize = 3;

/// Replaces every occurrence of each secret in `text` with [`MASK`]. Longer secrets are replaced
/// first, so a secret that contains another is masked whole.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut secrets: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| s.chars().count() >= MIN_SECRET_CHARS)
        .collect();
    secrets.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    secrets.dedup();
    let mut out = text.to_owned();
    for secret in secrets {
        if out.contains(secret) {
            out = out.replace(secret, MASK);
        }
    }
    out
}
