//! Which requests make which tasks, shared with the k6 export: a request's weight (its
//! `weight:N` tag), the variables it uses, and whether a folder's requests chain through
//! captures and so must run in order.

use std::collections::BTreeSet;

use sextant_model::{variables_in, PartValue, RequestBody};

use crate::plan::{Group, Plan, Step, StepAuth};

/// A request's weight among the user's tasks: its tag `weight:N` (or `weight=N`), else 1.
pub(crate) fn weight(tags: &[String]) -> u32 {
    tags.iter()
        .filter_map(|t| {
            let t = t.trim();
            t.strip_prefix("weight:")
                .or_else(|| t.strip_prefix("weight="))
        })
        .filter_map(|n| n.trim().parse::<u32>().ok())
        .find(|n| *n > 0)
        .unwrap_or(1)
}

/// The names a step's texts use.
pub(crate) fn uses(step: &Step) -> BTreeSet<String> {
    let mut texts = vec![step.url.clone()];
    texts.extend(step.query.iter().map(|(_, v)| v.clone()));
    texts.extend(
        step.headers
            .iter()
            .flat_map(|(n, v)| [n.clone(), v.clone()]),
    );
    texts.extend(step.assertions.iter().filter_map(|a| a.value.clone()));
    if let StepAuth::Basic { username, password } | StepAuth::Digest { username, password } =
        &step.auth
    {
        texts.extend([username.clone(), password.clone()]);
    }
    match &step.body {
        RequestBody::Text { text, .. } | RequestBody::Json { text } => texts.push(text.clone()),
        RequestBody::Form { fields } => texts.extend(fields.iter().map(|f| f.value.clone())),
        RequestBody::Multipart { parts } => {
            for p in parts {
                if let PartValue::Text { text } = &p.value {
                    texts.push(text.clone());
                }
            }
        }
        _ => {}
    }
    texts
        .iter()
        .flat_map(|t| variables_in(t).into_iter().map(|s| s.name))
        .collect()
}

/// Whether a group's requests must run in order: one captures, or uses what something captures.
pub(crate) fn chained(group: &Group, captured: &BTreeSet<String>) -> bool {
    group
        .steps
        .iter()
        .any(|s| !s.captures.is_empty() || uses(s).iter().any(|n| captured.contains(n)))
}

pub(crate) fn captured_names(plan: &Plan) -> BTreeSet<String> {
    plan.steps()
        .flat_map(|s| s.captures.iter().map(|c| c.variable.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weight_tag_weights_the_task() {
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(weight(&tags(&[])), 1);
        assert_eq!(weight(&tags(&["smoke", "weight:5"])), 5);
        assert_eq!(weight(&tags(&["weight=2"])), 2);
        assert_eq!(weight(&tags(&["weight:0", "weight:x"])), 1);
    }
}
