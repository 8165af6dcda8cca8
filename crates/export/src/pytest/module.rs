//! The test module: one test per request in the collection's order, a class per folder (its
//! tests share what they capture), the imports the tests need and the folders' variables.

use std::fmt::Write as _;

use sextant_model::ConversionWarning;

use super::contracts::ContractFiles;
use super::step::test;
use crate::names::non_empty;
use crate::names::{camel, snake, Unique};
use crate::plan::Plan;
use crate::pyassert::Needs;
use crate::pylit::string;
use crate::pylit::{docstring_text, folder_variables};

pub(super) fn tests(
    plan: &Plan,
    contracts: &ContractFiles,
    warnings: &mut Vec<ConversionWarning>,
) -> String {
    let mut body = String::new();
    let mut needs_all = Needs::default();
    let mut needs_path = false;
    let mut needs_prefix = false;
    let mut classes = Unique::default();
    let mut constants = String::new();
    for group in &plan.groups {
        let folder_const = folder_variables(&mut constants, group);
        if folder_const.is_some() {
            needs_prefix = true;
            needs_all.helpers.insert("from_env");
        }
        let indent = if group.path.is_empty() { "" } else { "    " };
        if !group.path.is_empty() {
            let class = classes.take(&format!(
                "Test{}",
                non_empty(camel(&group.path.join(" ")), "Folder")
            ));
            let _ = writeln!(
                body,
                "\n\nclass {class}:\n    \"\"\"Folder {}: the requests run in order and share what they capture.\"\"\"",
                docstring_text(&group.path.join(" / "))
            );
        }
        let mut names = Unique::default();
        for step in &group.steps {
            let name = names.take(&format!("test_{}", non_empty(snake(&step.name), "request")));
            let contract = step.contract.as_ref().and_then(|c| contracts.name_for(c));
            let code = test(
                plan,
                group,
                step,
                folder_const.as_deref(),
                contract,
                warnings,
            );
            needs_all.re |= code.needs.re;
            needs_all.helpers.extend(code.needs.helpers.iter().copied());
            needs_path |= code.path;
            needs_prefix |= code.prefix;
            let mut params = Vec::new();
            if !indent.is_empty() {
                params.push("self");
            }
            params.push("client");
            params.push("variables");
            if code.oauth2 {
                params.push("oauth2");
            }
            let sep = if indent.is_empty() { "\n\n" } else { "\n" };
            let _ = writeln!(body, "{sep}{indent}def {name}({}):", params.join(", "));
            let _ = writeln!(
                body,
                "{indent}    {}",
                string(&step.name).replace('\n', " ").pipe_doc()
            );
            for line in code.lines {
                if line.is_empty() {
                    body.push('\n');
                } else {
                    let _ = writeln!(body, "{indent}    {line}");
                }
            }
        }
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "\"\"\"Tests exported by Sextant from the collection {}{}.\n\nOne test per request, in the collection's order; run with `pytest` (see README.md).\n\"\"\"\n",
        docstring_text(&format!("{:?}", plan.collection)),
        plan.environment
            .as_deref()
            .map(|e| format!(" (environment {})", docstring_text(&format!("{e:?}"))))
            .unwrap_or_default()
    );
    if needs_all.re {
        out.push_str("import re\n");
    }
    if needs_path {
        out.push_str("from pathlib import Path\n");
    }
    if needs_all.re || needs_path {
        out.push('\n');
    }
    let mut helpers: Vec<&str> = needs_all.helpers.iter().copied().collect();
    helpers.sort_unstable_by_key(|h| (h.starts_with(|c: char| c.is_ascii_lowercase()), *h));
    if !helpers.is_empty() {
        let _ = writeln!(out, "from sextant_support import {}", helpers.join(", "));
    }
    if needs_prefix {
        let _ = writeln!(out, "\nPREFIX = {}", string(&plan.prefix));
    }
    out.push_str(&constants);
    out.push_str(&body);
    out
}

trait PipeDoc {
    fn pipe_doc(self) -> String;
}

impl PipeDoc for String {
    /// A request's name as a one-line docstring.
    fn pipe_doc(self) -> String {
        format!("\"\"{self}\"\"")
    }
}
