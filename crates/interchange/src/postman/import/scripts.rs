//! Postman script events: a request's test script checks become assertions, every other
//! script is a warning (Sextant does not run scripts).

use serde_json::Value;
use sextant_model::Assertion;

use crate::json::{array, string};
use crate::postman::script::{read_script, unread_warning};
use crate::warning::Warnings;

/// An event's script as one text (`exec` is a list of lines or one string).
fn script_text(event: &Value) -> String {
    match event.pointer("/script/exec") {
        Some(Value::Array(lines)) => lines
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// A request's scripts: the checks of its test script become assertions (`script::read`),
/// everything else in it and any other script is a warning.
pub(super) fn request_scripts(item: &Value, path: &str, w: &mut Warnings) -> Vec<Assertion> {
    let mut assertions = Vec::new();
    let mut others = Vec::new();
    for event in array(item, "event") {
        let text = script_text(event);
        if text.trim().is_empty() {
            continue;
        }
        let listen = string(event, "listen").unwrap_or_else(|| "unknown".to_owned());
        if listen != "test" {
            others.push(listen);
            continue;
        }
        let read = read_script(&text, "pm");
        assertions.extend(read.assertions);
        unread_warning(&read.unread, "scripts (test)", path, w);
    }
    if !others.is_empty() {
        w.push(
            path,
            format!(
                "scripts ({}) are not run by Sextant and were not imported",
                others.join(", ")
            ),
        );
    }
    assertions
}

pub(super) fn scripts(v: &Value, path: &str, w: &mut Warnings) {
    let kinds: Vec<String> = array(v, "event")
        .iter()
        .filter(|e| !script_text(e).trim().is_empty())
        .map(|e| string(e, "listen").unwrap_or_else(|| "unknown".to_owned()))
        .collect();
    if !kinds.is_empty() {
        w.push(
            path,
            format!(
                "scripts ({}) are not run by Sextant and were not imported",
                kinds.join(", ")
            ),
        );
    }
}
