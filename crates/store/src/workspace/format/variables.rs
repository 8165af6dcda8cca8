//! Variables as a file writes them: a secret one keeps only its name in the file and its
//! value goes to the secret store under `variables/<name>`. Shared by request, folder and
//! environment files.

use serde::{Deserialize, Serialize};
use sextant_model::Variable;

use super::{is_false, is_true, yes, SecretsIn, SecretsOut};

/// A variable; a secret one has no `value` here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileVariable {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    secret: bool,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    enabled: bool,
}

pub(super) fn variables_out(vars: &[Variable], secrets: &mut SecretsOut) -> Vec<FileVariable> {
    vars.iter()
        .map(|v| {
            let value = if v.secret {
                secrets
                    .values
                    .push((format!("variables/{}", v.name), v.value.clone()));
                None
            } else {
                Some(v.value.clone())
            };
            FileVariable {
                name: v.name.clone(),
                value,
                secret: v.secret,
                enabled: v.enabled,
            }
        })
        .collect()
}

pub(super) fn variables_in(vars: Vec<FileVariable>, secrets: &mut SecretsIn) -> Vec<Variable> {
    vars.into_iter()
        .map(|v| {
            let value = if v.secret {
                // A value typed into the file by hand wins over a missing store entry.
                match v.value {
                    Some(value) => value,
                    None => secrets.take(format!("variables/{}", v.name)),
                }
            } else {
                v.value.unwrap_or_default()
            };
            Variable {
                name: v.name,
                value,
                secret: v.secret,
                enabled: v.enabled,
            }
        })
        .collect()
}
