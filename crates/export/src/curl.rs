//! A bash script with one curl command per request: `set -euo pipefail`, variables from
//! environment variables (defaults for non-secret ones, secrets required), status checks,
//! simple body and header checks, captures through `jq`.

use std::fmt::Write as _;

use serde_json::Value;
use sextant_model::{
    variables_in, AssertPredicate as P, AssertQuery as Q, Assertion, CaptureSource,
    ConversionWarning, OAuth2ClientAuth, OAuth2Grant, PartValue, RequestBody, TokenPlacement,
};

use crate::jsonpath;
use crate::names::env_var;
use crate::plan::{Plan, Step, StepAuth, VarDef};
use crate::pyassert::describe;
use crate::GeneratedFile;

const PRELUDE: &str = r#"work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# check_status NAME ACTUAL EXPECTED...: one of the expected statuses, or fail.
check_status() {
  local name="$1" actual="$2"
  shift 2
  for want in "$@"; do
    [ "$actual" = "$want" ] && return 0
  done
  fail "$name: status $actual, expected ${*// / or }"
}

# check_json NAME FILTER EXPECTED_JSON [not]: the jq FILTER of the body equals the JSON value.
# EXPECTED that is not JSON is compared as a string.
check_json() {
  local actual want="$3"
  actual="$(jq -c "$2" "$work/body")" || fail "$1: the body is not JSON"
  if ! jq -e -n --argjson b "$want" true >/dev/null 2>&1; then
    want="$(jq -c -n --arg s "$want" '$s')"
  fi
  if jq -e -n --argjson a "$actual" --argjson b "$want" '$a == $b' >/dev/null; then
    [ "${4:-}" = not ] && fail "$1: body $2 is $actual, expected anything but $want"
  else
    [ "${4:-}" = not ] || fail "$1: body $2 is $actual, expected $want"
  fi
  return 0
}

# header NAME: the last value of the response header NAME.
header() {
  grep -i "^$1:" "$work/headers" | tail -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//' || true
}
"#;

/// `text` inside double quotes, `{{name}}` as `${PREFIX_NAME}`.
fn dq(text: &str, prefix: &str) -> String {
    let mut out = String::from("\"");
    let mut from = 0;
    let escape = |s: &str, out: &mut String| {
        for c in s.chars() {
            if matches!(c, '\\' | '"' | '$' | '`') {
                out.push('\\');
            }
            out.push(c);
        }
    };
    for span in variables_in(text) {
        escape(&text[from..span.start], &mut out);
        out.push_str(&match span.name.as_str() {
            "$uuid" => "$(cat /proc/sys/kernel/random/uuid)".to_owned(),
            "$timestamp" => "$(date +%s)".to_owned(),
            "$isoTimestamp" => "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)".to_owned(),
            "$randomInt" => "$((RANDOM % 1001))".to_owned(),
            name => format!("${{{}}}", env_var(prefix, name)),
        });
        from = span.end;
    }
    escape(&text[from..], &mut out);
    out.push('"');
    out
}

/// `text` in single quotes (no expansion).
fn sq(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn defaults(out: &mut String, vars: &[VarDef], prefix: &str) {
    for v in vars {
        let env = env_var(prefix, &v.name);
        match &v.default {
            Some(d) => {
                let _ = writeln!(
                    out,
                    "{env}=\"${{{env}:-{}}}\"",
                    &dq(d, prefix)[1..dq(d, prefix).len() - 1]
                );
            }
            None => {
                let _ = writeln!(out, ": \"${{{env}:?set {env} (secret)}}\"");
            }
        }
    }
}

pub(crate) fn generate(plan: &Plan, warnings: &mut Vec<ConversionWarning>) -> Vec<GeneratedFile> {
    let p = plan.prefix.as_str();
    let mut out = format!(
        "#!/usr/bin/env bash\n# The requests of the collection {:?}, exported by Sextant as curl commands.\n# Each variable is read from {p}_<NAME> (baseUrl: {p}_BASE_URL){}; secrets only from the environment.\n# Needs bash, curl and jq.\nset -euo pipefail\n\n",
        plan.collection,
        plan.environment
            .as_deref()
            .map(|e| format!(", with the environment {e:?}'s values as defaults"))
            .unwrap_or_default()
    );
    let captured: std::collections::BTreeSet<&str> = plan
        .steps()
        .flat_map(|s| s.captures.iter().map(|c| c.variable.as_str()))
        .collect();
    let mut vars: Vec<VarDef> = plan.collection_vars.clone();
    for v in &plan.environment_vars {
        if v.default.is_none() && captured.contains(v.name.as_str()) {
            continue;
        }
        vars.retain(|c| c.name != v.name);
        vars.push(v.clone());
    }
    defaults(&mut out, &vars, p);
    out.push('\n');
    out.push_str(PRELUDE);

    for (i, c) in plan.oauth2.iter().enumerate() {
        let mut args = vec!["curl -sS --fail-with-body -X POST".to_owned()];
        let grant = if c.grant == OAuth2Grant::Password {
            "password"
        } else {
            "client_credentials"
        };
        args.push(format!(
            "--data-urlencode {}",
            sq(&format!("grant_type={grant}"))
        ));
        if c.grant == OAuth2Grant::Password {
            args.push(format!(
                "--data-urlencode {}",
                dq(&format!("username={}", c.username), p)
            ));
            args.push(format!(
                "--data-urlencode {}",
                dq(&format!("password={}", c.password), p)
            ));
        }
        if !c.scopes.is_empty() {
            args.push(format!(
                "--data-urlencode {}",
                dq(&format!("scope={}", c.scopes.join(" ")), p)
            ));
        }
        if c.client_auth == OAuth2ClientAuth::Basic {
            args.push(format!(
                "-u {}",
                dq(&format!("{}:{}", c.client_id, c.client_secret), p)
            ));
        } else {
            args.push(format!(
                "--data-urlencode {}",
                dq(&format!("client_id={}", c.client_id), p)
            ));
            if !c.client_secret.is_empty() {
                args.push(format!(
                    "--data-urlencode {}",
                    dq(&format!("client_secret={}", c.client_secret), p)
                ));
            }
        }
        args.push(dq(&c.token_url, p));
        let _ = writeln!(
            out,
            "\n# OAuth 2.0 token, fetched once.\noauth2_token_{i}=\"$({} | jq -r .access_token)\"",
            args.join(" \\\n  ")
        );
    }

    for group in &plan.groups {
        if !group.path.is_empty() {
            let _ = writeln!(out, "\n# --- {} ---", group.path.join(" / "));
            defaults(&mut out, &group.variables, p);
        }
        for step in &group.steps {
            request(&mut out, plan, step, warnings);
        }
    }
    out.push_str("\necho \"all requests passed\"\n");
    vec![
        GeneratedFile {
            path: "run.sh".into(),
            contents: out,
            executable: true,
        },
        GeneratedFile {
            path: "README.md".into(),
            contents: format!(
                "# {} as curl\n\nExported by Sextant. Run `./run.sh` (bash, curl and jq). Each variable can be set by an environment variable ({p}_<NAME>); secrets must be. The script stops at the first request whose status or checks fail, naming it.\n",
                plan.collection
            ),
            executable: false,
        },
    ]
}

fn request(out: &mut String, plan: &Plan, step: &Step, warnings: &mut Vec<ConversionWarning>) {
    let p = plan.prefix.as_str();
    let _ = writeln!(out, "\necho {}", sq(&format!("== {}", step.name)));
    defaults(out, &step.variables, p);
    let url = match (&plan.base, step.relative) {
        (Some(base), true) => format!("{base}{}", step.url),
        _ => step.url.clone(),
    };
    let mut args: Vec<String> =
        vec!["curl -sS -o \"$work/body\" -D \"$work/headers\" -w '%{http_code}'".into()];
    match step.method.as_str() {
        "GET" => {}
        "HEAD" => args.push("--head".into()),
        m => args.push(format!("-X {}", sq(m))),
    }
    if step.follow_redirects {
        args.push("-L".into());
    }
    if let Some(ms) = step.timeout_ms {
        args.push(format!("--max-time {}", f64::from(ms) / 1000.0));
    }
    for (n, v) in &step.headers {
        args.push(format!("-H {}", dq(&format!("{n}: {v}"), p)));
    }
    for (n, v) in &step.query {
        args.push(format!("--url-query {}", dq(&format!("{n}={v}"), p)));
    }
    match &step.auth {
        StepAuth::None => {}
        StepAuth::Basic { username, password } => {
            args.push(format!("-u {}", dq(&format!("{username}:{password}"), p)))
        }
        StepAuth::Digest { username, password } => {
            args.push(format!(
                "--digest -u {}",
                dq(&format!("{username}:{password}"), p)
            ));
        }
        StepAuth::OAuth2 { index, placement } => match placement {
            TokenPlacement::Header { prefix } => {
                let sep = if prefix.is_empty() { "" } else { " " };
                args.push(format!(
                    "-H \"Authorization: {prefix}{sep}${{oauth2_token_{index}}}\""
                ));
            }
            TokenPlacement::Query { name } => {
                args.push(format!("--url-query \"{name}=${{oauth2_token_{index}}}\""));
            }
        },
    }
    let has_ct = step.has_header("content-type");
    let ct = |ct: &str, args: &mut Vec<String>| {
        if !has_ct && !ct.is_empty() {
            args.push(format!("-H {}", sq(&format!("Content-Type: {ct}"))));
        }
    };
    match &step.body {
        RequestBody::None => {}
        RequestBody::Json { text } => {
            ct("application/json", &mut args);
            args.push(format!("--data-binary {}", dq(text, p)));
        }
        RequestBody::Text { content_type, text } => {
            ct(content_type, &mut args);
            args.push(format!("--data-binary {}", dq(text, p)));
        }
        RequestBody::Form { fields } => {
            for f in fields.iter().filter(|f| f.enabled) {
                args.push(format!(
                    "--data-urlencode {}",
                    dq(&format!("{}={}", f.name, f.value), p)
                ));
            }
        }
        RequestBody::Multipart { parts } => {
            for part in parts.iter().filter(|x| x.enabled) {
                match &part.value {
                    PartValue::Text { text } => args.push(format!(
                        "--form-string {}",
                        dq(&format!("{}={text}", part.name), p)
                    )),
                    PartValue::File {
                        path,
                        filename,
                        content_type,
                    } => {
                        let mut spec = format!("{}=@{path}", part.name);
                        if let Some(f) = filename {
                            spec.push_str(&format!(";filename={f}"));
                        }
                        if let Some(t) = content_type {
                            spec.push_str(&format!(";type={t}"));
                        }
                        args.push(format!("-F {}", dq(&spec, p)));
                    }
                }
            }
        }
        RequestBody::Binary { path, content_type } => {
            ct(
                content_type
                    .as_deref()
                    .unwrap_or("application/octet-stream"),
                &mut args,
            );
            args.push(format!("--data-binary {}", dq(&format!("@{path}"), p)));
        }
    }
    args.push(dq(&url, p));
    let _ = writeln!(out, "status=\"$({})\"", args.join(" \\\n  "));

    let name = sq(&step.name);
    let mut status_checked = false;
    let mut skipped = Vec::new();
    for a in &step.assertions {
        match check(a, &name, p) {
            Some(line) => {
                status_checked |= a.query == Q::Status;
                let _ = writeln!(out, "{line}");
            }
            None => {
                let _ = writeln!(out, "# not checked by this script: {}", describe(a));
                skipped.push(describe(a));
            }
        }
    }
    if !status_checked {
        let _ = writeln!(
            out,
            "[ \"$status\" -lt 400 ] || fail {}\": status $status\"",
            name
        );
    }
    if !skipped.is_empty() {
        warnings.push(ConversionWarning {
            location: step.name.clone(),
            message: format!("the curl script does not check: {}", skipped.join("; ")),
        });
    }
    for c in &step.captures {
        let var = env_var(p, &c.variable);
        match &c.source {
            CaptureSource::Body { path } => match jsonpath::simple(path) {
                Some(steps) => {
                    let _ = writeln!(
                        out,
                        "{var}=\"$(jq -r {} \"$work/body\")\"",
                        sq(&jsonpath::jq(&steps))
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "# not captured by this script: {} from {path}",
                        c.variable
                    );
                    warnings.push(ConversionWarning {
                        location: step.name.clone(),
                        message: format!("the curl script captures only simple paths, not {path}"),
                    });
                }
            },
            CaptureSource::Header { name } => {
                let _ = writeln!(out, "{var}=\"$(header {})\"", sq(name));
            }
            CaptureSource::Record { .. } => {
                warnings.push(ConversionWarning {
                    location: step.name.clone(),
                    message: format!(
                        "the capture of {} from a stream record is not exported",
                        c.variable
                    ),
                });
            }
        }
    }
}

/// A shell line checking `a`, for what the script can check.
fn check(a: &Assertion, name: &str, p: &str) -> Option<String> {
    let value = a.value.as_deref().unwrap_or("").trim();
    let statuses = |list: &str| -> Option<Vec<String>> {
        let items: Vec<String> = match serde_json::from_str::<Value>(list) {
            Ok(Value::Array(items)) => items.iter().map(Value::to_string).collect(),
            Ok(v @ Value::Number(_)) => vec![v.to_string()],
            _ => list.split(',').map(|s| s.trim().to_owned()).collect(),
        };
        items
            .iter()
            .all(|s| s.parse::<u16>().is_ok())
            .then_some(items)
    };
    match (&a.query, a.predicate, a.negate) {
        (Q::Status, P::Equals | P::In, false) => Some(format!(
            "check_status {name} \"$status\" {}",
            statuses(value)?.join(" ")
        )),
        (Q::Status, P::NotEquals, false) | (Q::Status, P::Equals, true) => {
            let s = statuses(value)?;
            Some(format!(
                "[ \"$status\" != {} ] || fail {name}\": status $status\"",
                s[0]
            ))
        }
        (Q::JsonPath { path }, P::Equals | P::NotEquals, negate) => {
            let steps = jsonpath::simple(path)?;
            let expected = if variables_in(value).is_empty() {
                let v = serde_json::from_str::<Value>(value)
                    .unwrap_or_else(|_| Value::String(value.to_owned()));
                sq(&v.to_string())
            } else {
                dq(value, p)
            };
            let not = (a.predicate == P::NotEquals) != negate;
            Some(format!(
                "check_json {name} {} {expected}{}",
                sq(&jsonpath::jq(&steps)),
                if not { " not" } else { "" }
            ))
        }
        (Q::Header { name: header }, P::Contains, negate) => {
            let text = match serde_json::from_str::<Value>(value) {
                Ok(Value::String(s)) => s,
                _ => value.to_owned(),
            };
            let bang = if negate { "! " } else { "" };
            Some(format!(
                "{bang}header {} | grep -qiF -- {} || fail {name}\": header {header} does not {}contain {}\"",
                sq(header),
                dq(&text, p),
                if negate { "not " } else { "" },
                text.replace(['"', '$', '`', '\\'], "")
            ))
        }
        _ => None,
    }
}
