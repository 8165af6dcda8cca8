//! Insomnia's environments and Nunjucks references: environment data flattened to variables
//! with dotted names, and `{{ _.name }}` rewritten to Sextant's `{{name}}`.

use serde_json::Value;
use sextant_model::Variable;

use crate::json::{flag, scalar};
use crate::warning::Warnings;

pub(super) fn env_variables(env: &Value, path: &str, w: &mut Warnings) -> Vec<Variable> {
    let mut vars = env
        .get("data")
        .map(|d| flatten(d, path, w))
        .unwrap_or_default();
    if flag(env, "isPrivate") {
        for v in &mut vars {
            v.secret = true;
        }
    }
    if let Some(order) = env
        .pointer("/dataPropertyOrder/&")
        .and_then(Value::as_array)
    {
        let rank = |name: &str| {
            order
                .iter()
                .position(|k| k.as_str() == Some(name.split('.').next().unwrap_or(name)))
                .unwrap_or(usize::MAX)
        };
        vars.sort_by_key(|v| rank(&v.name));
    }
    vars
}

/// Environment data as variables: nested objects become dotted names, arrays their JSON.
pub(super) fn flatten(data: &Value, path: &str, w: &mut Warnings) -> Vec<Variable> {
    let mut out = Vec::new();
    flatten_into(data, "", path, w, &mut out);
    out
}

fn flatten_into(data: &Value, prefix: &str, path: &str, w: &mut Warnings, out: &mut Vec<Variable>) {
    let Some(map) = data.as_object() else {
        return;
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    for key in keys {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match &map[key] {
            nested @ Value::Object(_) => flatten_into(nested, &name, path, w, out),
            Value::Null => out.push(Variable::new(name, "")),
            v @ Value::Array(_) => out.push(Variable::new(name, v.to_string())),
            v => {
                let text = scalar(v).unwrap_or_default();
                out.push(Variable::new(name, template(&text, path, w)));
            }
        }
    }
}

/// Insomnia's Nunjucks references in Sextant's syntax: `{{ _.name }}` and `{{ name }}` become
/// `{{name}}`. Tags (`{% ... %}`) and filtered expressions stay as they are, with a warning.
pub(super) fn template(text: &str, path: &str, w: &mut Warnings) -> String {
    if !text.contains("{{") && !text.contains("{%") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = after[..close].trim();
        let name = inner.strip_prefix("_.").unwrap_or(inner);
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'));
        if plain {
            out.push_str("{{");
            out.push_str(name);
            out.push_str("}}");
        } else {
            w.push(
                path,
                format!("the expression {{{{ {inner} }}}} is kept as it is"),
            );
            out.push_str(&rest[open..open + 2 + close + 2]);
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    if let Some(start) = out.find("{%") {
        let end = out[start..].find("%}").map_or(out.len(), |e| start + e + 2);
        w.push(
            path,
            format!(
                "the template tag {} is not supported; kept as text",
                &out[start..end]
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::template;
    use crate::warning::Warnings;

    #[test]
    fn references_are_rewritten_and_tags_kept() {
        let mut w = Warnings::default();
        assert_eq!(
            template("{{ _.base }}/u/{{id}}?x={{ _.db.host }}", "p", &mut w),
            "{{base}}/u/{{id}}?x={{db.host}}"
        );
        assert!(w.0.is_empty());
        assert_eq!(template("{% uuid 'v4' %}", "p", &mut w), "{% uuid 'v4' %}");
        assert_eq!(
            template("{{ _.x | upper }}", "p", &mut w),
            "{{ _.x | upper }}"
        );
        assert_eq!(w.0.len(), 2, "{:?}", w.0);
    }
}
