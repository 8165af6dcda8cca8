//! The variables in force for one request, merged by precedence, and the renderer that
//! substitutes them into text while recording what it used, what it could not find and which
//! secret values ended up in the output, within the budgets of `budget`.

use std::collections::HashMap;

use sextant_model::Variable;

use crate::budget::{Budget, MAX_EXPANSIONS, MAX_REQUEST_BYTES, MAX_VALUE_BYTES};
use crate::dynamic;
use crate::error::{TemplateError, MAX_DEPTH};
use crate::Context;
use sextant_model::variables_in;

/// Which part of a request a reference sits in; named as `UndefinedVariable::field` expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Url,
    Query,
    Header,
    Body,
    Auth,
}

impl Field {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Field::Url => "url",
            Field::Query => "query",
            Field::Header => "header",
            Field::Body => "body",
            Field::Auth => "auth",
        }
    }
}

struct Entry {
    value: String,
    secret: bool,
}

/// Enabled variables by name; a higher level replaces a lower one, and within one level the last
/// enabled definition wins.
pub(crate) struct Scope {
    vars: HashMap<String, Entry>,
}

impl Scope {
    pub(crate) fn build(ctx: &Context<'_>, request: &[Variable]) -> Self {
        let mut levels: Vec<&[Variable]> = vec![ctx.globals];
        levels.extend(ctx.chain.iter().map(|s| s.variables.as_slice()));
        levels.push(ctx.environment.map_or(&[], |e| e.variables.as_slice()));
        levels.push(ctx.runtime);
        levels.push(request);
        let mut vars = HashMap::new();
        for var in levels.into_iter().flatten().filter(|v| v.enabled) {
            vars.insert(
                var.name.trim().to_owned(),
                Entry {
                    value: var.value.clone(),
                    secret: var.secret,
                },
            );
        }
        Self { vars }
    }
}

pub(crate) struct Renderer<'s> {
    scope: &'s Scope,
    reveal_secrets: bool,
    field: Field,
    /// Names not found, with the field each occurred in, in order of occurrence.
    pub(crate) undefined: Vec<(String, Field)>,
    /// Scope variables substituted, in order of first use.
    pub(crate) used: Vec<String>,
    /// Values of secret variables substituted.
    pub(crate) secret_values: Vec<String>,
    /// The first cycle, depth or budget error; after a cycle or depth error rendering goes on
    /// so every undefined name is still found.
    pub(crate) error: Option<TemplateError>,
    /// Substitutions made so far, nested ones included.
    expansions: usize,
    /// Bytes substitutions added to the request's fields so far.
    added: usize,
    /// A budget ran out: nothing more is expanded.
    halted: bool,
}

impl<'s> Renderer<'s> {
    pub(crate) fn new(scope: &'s Scope, reveal_secrets: bool) -> Self {
        Self {
            scope,
            reveal_secrets,
            field: Field::Url,
            undefined: Vec::new(),
            used: Vec::new(),
            secret_values: Vec::new(),
            error: None,
            expansions: 0,
            added: 0,
            halted: false,
        }
    }

    pub(crate) fn render(&mut self, text: &str, field: Field) -> String {
        self.field = field;
        self.render_nested(text, &mut Vec::new())
    }

    /// Records a value derived from secrets (an encoded credential, say) so history redacts it.
    pub(crate) fn add_secret(&mut self, value: String) {
        if !value.is_empty() && !self.secret_values.contains(&value) {
            self.secret_values.push(value);
        }
    }

    fn render_nested(&mut self, text: &str, stack: &mut Vec<String>) -> String {
        let mut out = String::with_capacity(text.len().min(MAX_VALUE_BYTES));
        let mut last = 0;
        for span in variables_in(text) {
            if self.halted {
                break;
            }
            out.push_str(&text[last..span.start]);
            let raw = &text[span.start..span.end];
            let value = self.expand(&span.name, raw, stack);
            last = span.end;
            match stack.last() {
                None => {
                    self.added += value.len();
                    if self.added > MAX_REQUEST_BYTES {
                        self.exceeded(&span.name, Budget::RequestBytes);
                    }
                }
                Some(owner) if out.len() + value.len() > MAX_VALUE_BYTES => {
                    let owner = owner.clone();
                    self.exceeded(&owner, Budget::ValueBytes);
                    break;
                }
                Some(_) => {}
            }
            out.push_str(&value);
        }
        out.push_str(&text[last..]);
        out
    }

    /// Stops all further expansion. The budget error replaces a cycle or depth error found
    /// before it: running out is why resolution stopped.
    fn exceeded(&mut self, name: &str, budget: Budget) {
        if self.halted {
            return;
        }
        self.halted = true;
        self.error = Some(TemplateError::TooLarge {
            name: name.to_owned(),
            budget,
        });
    }

    fn expand(&mut self, name: &str, raw: &str, stack: &mut Vec<String>) -> String {
        if self.halted {
            return raw.to_owned();
        }
        self.expansions += 1;
        if self.expansions > MAX_EXPANSIONS {
            self.exceeded(name, Budget::Expansions);
            return raw.to_owned();
        }
        if name.starts_with('$') {
            if let Some(value) = dynamic::generate(name) {
                return value;
            }
        }
        let scope = self.scope;
        let Some(entry) = scope.vars.get(name) else {
            self.undefined.push((name.to_owned(), self.field));
            return raw.to_owned();
        };
        if entry.secret && !self.reveal_secrets {
            return raw.to_owned();
        }
        if let Some(pos) = stack.iter().position(|n| n == name) {
            let mut path = stack[pos..].to_vec();
            path.push(name.to_owned());
            self.error.get_or_insert(TemplateError::Cycle { path });
            return raw.to_owned();
        }
        if stack.len() >= MAX_DEPTH {
            self.error.get_or_insert(TemplateError::TooDeep {
                name: name.to_owned(),
            });
            return raw.to_owned();
        }
        if !self.used.iter().any(|n| n == name) {
            self.used.push(name.to_owned());
        }
        stack.push(name.to_owned());
        let value = self.render_nested(&entry.value, stack);
        stack.pop();
        if entry.secret {
            self.add_secret(value.clone());
        }
        value
    }
}
