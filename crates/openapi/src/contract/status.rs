//! Which documented response answers a status, and which operation a request is.

use crate::model::{ApiSpec, Operation, ResponseSpec};

/// The documented response for `status`: the exact code, else its range (`4XX`), else
/// `default`.
pub fn response_for(op: &Operation, status: u16) -> Option<&ResponseSpec> {
    let exact = status.to_string();
    let range = format!("{}XX", status / 100);
    op.responses
        .iter()
        .find(|r| r.status == exact)
        .or_else(|| {
            op.responses
                .iter()
                .find(|r| r.status.eq_ignore_ascii_case(&range))
        })
        .or_else(|| op.responses.iter().find(|r| r.status == "default"))
}

/// The operation of `spec` for `method` on a URL `path` (`/api/items/7`): the path template
/// whose segments match the path's last segments (a server's base path may come before);
/// among several, the one with the fewest `{parameters}`, then the longest.
pub fn operation_for<'a>(spec: &'a ApiSpec, method: &str, path: &str) -> Option<&'a Operation> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let actual: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    spec.operations
        .iter()
        .filter(|op| op.method.eq_ignore_ascii_case(method))
        .filter_map(|op| {
            let template: Vec<&str> = op.path.split('/').filter(|s| !s.is_empty()).collect();
            if template.len() > actual.len() {
                return None;
            }
            let tail = &actual[actual.len() - template.len()..];
            let mut params = 0usize;
            for (t, a) in template.iter().zip(tail) {
                if t.starts_with('{') && t.ends_with('}') {
                    params += 1;
                } else if t != a {
                    return None;
                }
            }
            Some((params, usize::MAX - template.len(), op))
        })
        .min_by_key(|(params, len, _)| (*params, *len))
        .map(|(_, _, op)| op)
}
