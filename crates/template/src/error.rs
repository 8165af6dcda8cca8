//! Why a request could not be resolved, and how that reaches the window as an `ApiError`.

use sextant_model::{ApiError, ErrorCode};

use crate::budget::Budget;

/// The most levels a variable's value may nest other variables.
pub const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `{{name}}`s defined in no scope; sorted and without duplicates.
    #[error("{}", undefined_message(names))]
    Undefined { names: Vec<String> },
    /// Variables whose values refer to each other; the path starts and ends with the same name.
    #[error("variables refer to each other in a cycle: {}", braced(path).join(" → "))]
    Cycle { path: Vec<String> },
    /// A chain of variables nesting deeper than [`MAX_DEPTH`].
    #[error("{{{{{name}}}}} nests other variables more than {MAX_DEPTH} levels deep")]
    TooDeep { name: String },
    /// Expanding `name` went past a budget; resolution stopped there.
    #[error("{{{{{name}}}}} expands past the templating budget of {budget}")]
    TooLarge { name: String, budget: Budget },
}

fn braced(names: &[String]) -> Vec<String> {
    names.iter().map(|n| format!("{{{{{n}}}}}")).collect()
}

fn undefined_message(names: &[String]) -> String {
    let noun = if names.len() == 1 {
        "undefined variable"
    } else {
        "undefined variables"
    };
    format!("{noun}: {}", braced(names).join(", "))
}

impl From<TemplateError> for ApiError {
    fn from(err: TemplateError) -> Self {
        let code = match err {
            TemplateError::Undefined { .. } => ErrorCode::UndefinedVariable,
            TemplateError::Cycle { .. } | TemplateError::TooDeep { .. } => {
                ErrorCode::InvalidRequest
            }
            TemplateError::TooLarge { .. } => ErrorCode::TooLarge,
        };
        ApiError::new(code, err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_every_variable() {
        let err = TemplateError::Undefined {
            names: vec!["host".into(), "token".into()],
        };
        assert_eq!(err.to_string(), "undefined variables: {{host}}, {{token}}");
        let one = TemplateError::Undefined {
            names: vec!["host".into()],
        };
        assert_eq!(one.to_string(), "undefined variable: {{host}}");
        let cycle = TemplateError::Cycle {
            path: vec!["a".into(), "b".into(), "a".into()],
        };
        assert_eq!(
            cycle.to_string(),
            "variables refer to each other in a cycle: {{a}} → {{b}} → {{a}}"
        );
        let deep = TemplateError::TooDeep { name: "x".into() };
        assert_eq!(
            deep.to_string(),
            "{{x}} nests other variables more than 16 levels deep"
        );
        let large = TemplateError::TooLarge {
            name: "a13".into(),
            budget: Budget::Expansions,
        };
        assert_eq!(
            large.to_string(),
            "{{a13}} expands past the templating budget of 10000 substitutions for one request"
        );
        let bytes = TemplateError::TooLarge {
            name: "v".into(),
            budget: Budget::ValueBytes,
        };
        assert!(bytes.to_string().ends_with("budget of 1 MiB for one value"));
    }

    #[test]
    fn converts_to_api_errors() {
        let api: ApiError = TemplateError::Undefined {
            names: vec!["t".into()],
        }
        .into();
        assert_eq!(api.code, ErrorCode::UndefinedVariable);
        assert_eq!(api.message, "undefined variable: {{t}}");
        let api: ApiError = TemplateError::Cycle {
            path: vec!["a".into(), "a".into()],
        }
        .into();
        assert_eq!(api.code, ErrorCode::InvalidRequest);
        let api: ApiError = TemplateError::TooLarge {
            name: "a".into(),
            budget: Budget::RequestBytes,
        }
        .into();
        assert_eq!(api.code, ErrorCode::TooLarge);
    }
}
