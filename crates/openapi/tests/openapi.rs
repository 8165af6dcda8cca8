//! Integration tests of the OpenAPI reader, one binary: importing the fixtures in `tests/fixtures/`
//! (see SOURCES.md) against snapshots, hostile documents and examples, shared schemas, and
//! properties over arbitrary input.

#[path = "openapi/support.rs"]
mod support;

#[path = "openapi/hostile_examples.rs"]
mod hostile_examples;
#[path = "openapi/hostile_examples_variables.rs"]
mod hostile_examples_variables;
#[path = "openapi/hostile_reader.rs"]
mod hostile_reader;
#[path = "openapi/hostile_reader_diff.rs"]
mod hostile_reader_diff;
#[path = "openapi/import.rs"]
mod import;
#[path = "openapi/prop_reader.rs"]
mod prop_reader;
#[path = "openapi/shared_schemas.rs"]
mod shared_schemas;
