//! The files a run leaves for CI and for people: JUnit XML (one `testsuite` per folder and
//! iteration, one `testcase` per request, `failure` for failed assertions, `error` when no
//! response came, `skipped` for requests a run does not send), in the shape of the common
//! Jenkins JUnit schema; and one self-contained HTML page (inline style, no scripts or external
//! assets, every value escaped) that opens offline.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use sextant_model::{RunResult, RunSummary};

/// Escapes text for XML and HTML (content and attribute values); drops characters XML 1.0
/// cannot hold.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(dir, _)| dir).unwrap_or(path)
}

fn seconds(ms: f64) -> String {
    format!("{:.3}", ms / 1000.0)
}

/// What failed, one line per failed assertion (or the error).
fn failure_message(r: &RunResult) -> String {
    if let Some(e) = &r.error {
        return format!("{:?}: {}", e.code, e.message);
    }
    r.assertions
        .iter()
        .filter(|a| !a.passed)
        .map(|a| a.message.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

fn failure_details(r: &RunResult) -> String {
    let mut text = format!("{} {} (status {:?})\n", r.method, r.url, r.status);
    for a in r.assertions.iter().filter(|a| !a.passed) {
        let _ = writeln!(
            text,
            "assertion {}: {}\n  expected: {}\n  actual:   {}",
            a.index + 1,
            a.message,
            a.expected,
            a.actual
        );
    }
    text
}

/// The run as JUnit XML.
pub fn junit(title: &str, summary: &RunSummary) -> String {
    let mut suites: BTreeMap<(u32, &str), Vec<&RunResult>> = BTreeMap::new();
    let mut order = Vec::new();
    for r in &summary.results {
        let key = (r.iteration, folder_of(&r.path));
        if !suites.contains_key(&key) {
            order.push(key);
        }
        suites.entry(key).or_default().push(r);
    }
    let skipped = |r: &&&RunResult| r.skipped.is_some();
    let errors = |r: &&&RunResult| !r.passed && r.error.is_some();
    let failures = |r: &&&RunResult| !r.passed && r.error.is_none();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">",
        escape(title),
        summary.total,
        summary.failed - summary.errors,
        summary.errors,
        seconds(summary.duration_ms)
    );
    let iterations = summary
        .results
        .iter()
        .map(|r| r.iteration)
        .max()
        .unwrap_or(1);
    for (id, key) in order.iter().enumerate() {
        let cases = &suites[key];
        let name = if iterations > 1 {
            format!("{} (iteration {})", key.1, key.0)
        } else {
            key.1.to_owned()
        };
        let time: f64 = cases.iter().map(|r| r.duration_ms).sum();
        let _ = writeln!(
            xml,
            "  <testsuite id=\"{id}\" name=\"{}\" package=\"{}\" tests=\"{}\" failures=\"{}\" \
             errors=\"{}\" skipped=\"{}\" time=\"{}\">",
            escape(&name),
            escape(key.1),
            cases.len(),
            cases.iter().filter(failures).count(),
            cases.iter().filter(errors).count(),
            cases.iter().filter(skipped).count(),
            seconds(time)
        );
        for r in cases {
            let _ = write!(
                xml,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"",
                escape(&r.name),
                escape(&key.1.replace('/', ".")),
                seconds(r.duration_ms)
            );
            if let Some(why) = &r.skipped {
                let _ = writeln!(
                    xml,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    escape(why)
                );
            } else if r.passed {
                xml.push_str("/>\n");
            } else {
                let element = if r.error.is_some() {
                    "error"
                } else {
                    "failure"
                };
                let kind = r
                    .error
                    .as_ref()
                    .map(|e| format!("{:?}", e.code))
                    .unwrap_or_else(|| "AssertionFailure".into());
                let _ = writeln!(
                    xml,
                    ">\n      <{element} message=\"{}\" type=\"{kind}\">{}</{element}>\n    </testcase>",
                    escape(&failure_message(r)),
                    escape(&failure_details(r))
                );
            }
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

const STYLE: &str = "body{font:14px system-ui,sans-serif;margin:2em;color:#222}\
h1{font-size:1.3em}table{border-collapse:collapse;width:100%}\
td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}\
.pass{color:#1a7f37}.fail{color:#cf222e}.skip{color:#9a6700}\
pre{margin:0;white-space:pre-wrap;font-size:12px}.sum{margin:1em 0;font-size:1.1em}";

/// The run as one HTML page with nothing outside it.
pub fn html(title: &str, summary: &RunSummary, workspace: &Path) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
        escape(title),
        escape(title)
    );
    let _ = writeln!(
        page,
        "<p class=\"sum\" data-testid=\"summary\"><span class=\"{}\">{}</span>: {} requests, \
         {} passed, {} failed ({} without a response), {:.0} ms{}</p>",
        if summary.failed == 0 { "pass" } else { "fail" },
        if summary.failed == 0 {
            "PASSED"
        } else {
            "FAILED"
        },
        summary.total,
        summary.passed,
        summary.failed,
        summary.errors,
        summary.duration_ms,
        if summary.stopped {
            ", stopped early"
        } else {
            ""
        }
    );
    page.push_str(
        "<table><thead><tr><th></th><th>#</th><th>Request</th><th>Status</th><th>Time</th>\
         <th>Assertions</th></tr></thead><tbody>\n",
    );
    let mut sorted: Vec<&RunResult> = summary.results.iter().collect();
    sorted.sort_by_key(|r| r.passed);
    for r in sorted {
        let (class, mark) = match (&r.skipped, r.passed) {
            (Some(_), _) => ("skip", "skipped"),
            (None, true) => ("pass", "passed"),
            (None, false) => ("fail", "failed"),
        };
        let status = match (&r.skipped, r.status, &r.error) {
            (Some(why), _, _) => why.clone(),
            (None, Some(s), _) => s.to_string(),
            (None, None, Some(e)) => format!("{:?}: {}", e.code, e.message),
            (None, None, None) => String::new(),
        };
        let mut checks = String::new();
        for a in &r.assertions {
            let _ = write!(
                checks,
                "<div class=\"{}\">{} {}</div>",
                if a.passed { "pass" } else { "fail" },
                if a.passed { "✔" } else { "✘" },
                escape(&a.message)
            );
            if !a.passed {
                let _ = write!(
                    checks,
                    "<pre>expected: {}\nactual:   {}</pre>",
                    escape(&a.expected),
                    escape(&a.actual)
                );
            }
        }
        let _ = writeln!(
            page,
            "<tr class=\"{class}\"><td>{mark}</td><td>{}</td><td>{} {}<br><small>{}</small>\
             <br><small>{}</small></td><td>{}</td><td>{:.0} ms{}</td><td>{checks}</td></tr>",
            r.iteration,
            escape(&r.method),
            escape(&r.name),
            escape(&r.url),
            escape(&workspace.join(&r.path).display().to_string()),
            escape(&status),
            r.duration_ms,
            if r.attempts > 1 {
                format!(" ({} attempts)", r.attempts)
            } else {
                String::new()
            }
        );
    }
    page.push_str("</tbody></table>\n</body></html>\n");
    page
}
