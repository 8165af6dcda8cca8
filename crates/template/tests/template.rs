//! Integration tests of templating, one binary: variables and their scopes, inheritance down the
//! folder chain, auth, captures and redaction, the expansion budgets, and properties over arbitrary
//! input.

#[path = "template/budget.rs"]
mod budget;
#[path = "template/capture.rs"]
mod capture;
#[path = "template/credentials.rs"]
mod credentials;
#[path = "template/inheritance.rs"]
mod inheritance;
#[path = "template/properties.rs"]
mod properties;
#[path = "template/variables.rs"]
mod variables;
