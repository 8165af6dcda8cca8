//! Request settings in a file: only what differs from the defaults, so files stay short.

use serde::{Deserialize, Deserializer, Serialize};
use sextant_model::{HttpVersionPref, ProxySetting, RequestSettings, SseReconnect};

/// Request settings: only what differs from the defaults. `connectTimeoutMs: null` means no
/// connect limit (the default is 30 s).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FileSettings {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    connect_timeout_ms: Option<Option<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timeout_ms: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follow_redirects: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_redirects: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verify_tls: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    http_version: Option<HttpVersionPref>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proxy: Option<ProxySetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proxy_loopback: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resend_files_cross_origin: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sse_reconnect: Option<SseReconnect>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sse_reconnect_attempts: Option<u32>,
}

/// A key that is present is `Some`, even when its value is `null`.
pub(super) fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
    Option::<u32>::deserialize(d).map(Some)
}

impl FileSettings {
    pub(super) fn is_default(&self) -> bool {
        *self == FileSettings::default()
    }
}

pub(super) fn differs<T: PartialEq + Clone>(value: &T, default: &T) -> Option<T> {
    (value != default).then(|| value.clone())
}

pub(super) fn settings_out(s: &RequestSettings) -> FileSettings {
    let d = RequestSettings::default();
    FileSettings {
        connect_timeout_ms: differs(&s.connect_timeout_ms, &d.connect_timeout_ms),
        timeout_ms: s.timeout_ms,
        follow_redirects: differs(&s.follow_redirects, &d.follow_redirects),
        max_redirects: differs(&s.max_redirects, &d.max_redirects),
        verify_tls: differs(&s.verify_tls, &d.verify_tls),
        http_version: differs(&s.http_version, &d.http_version),
        proxy: differs(&s.proxy, &d.proxy),
        proxy_loopback: differs(&s.proxy_loopback, &d.proxy_loopback),
        resend_files_cross_origin: differs(
            &s.resend_files_cross_origin,
            &d.resend_files_cross_origin,
        ),
        sse_reconnect: differs(&s.sse_reconnect, &d.sse_reconnect),
        sse_reconnect_attempts: differs(&s.sse_reconnect_attempts, &d.sse_reconnect_attempts),
    }
}

pub(super) fn settings_in(f: FileSettings) -> RequestSettings {
    let d = RequestSettings::default();
    RequestSettings {
        connect_timeout_ms: f.connect_timeout_ms.unwrap_or(d.connect_timeout_ms),
        timeout_ms: f.timeout_ms,
        follow_redirects: f.follow_redirects.unwrap_or(d.follow_redirects),
        max_redirects: f.max_redirects.unwrap_or(d.max_redirects),
        verify_tls: f.verify_tls.unwrap_or(d.verify_tls),
        http_version: f.http_version.unwrap_or(d.http_version),
        proxy: f.proxy.unwrap_or(d.proxy),
        proxy_loopback: f.proxy_loopback.unwrap_or(d.proxy_loopback),
        resend_files_cross_origin: f
            .resend_files_cross_origin
            .unwrap_or(d.resend_files_cross_origin),
        sse_reconnect: f.sse_reconnect.unwrap_or(d.sse_reconnect),
        sse_reconnect_attempts: f.sse_reconnect_attempts.unwrap_or(d.sse_reconnect_attempts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_stream_reconnection_is_saved_only_when_set_and_reads_back() {
        let d = RequestSettings::default();
        assert!(settings_out(&d).is_default());
        let s = RequestSettings {
            sse_reconnect: SseReconnect::Always,
            sse_reconnect_attempts: 9,
            ..RequestSettings::default()
        };
        let out = settings_out(&s);
        let text = serde_json::to_string(&out).unwrap();
        assert_eq!(
            text,
            r#"{"sseReconnect":"always","sseReconnectAttempts":9}"#
        );
        let back: FileSettings = serde_json::from_str(&text).unwrap();
        assert_eq!(settings_in(back), s);
    }
}
