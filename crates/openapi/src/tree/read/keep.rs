//! What the outline's reader keeps of a JSON document: paths, methods, the few words of each
//! operation and the schema names. Kept apart from the visitor so the choice of what to keep
//! reads in one place.

/// Which part of a document a reader keeps. Everything is read and checked either way; what is
/// not kept becomes `Null` without allocating anything.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    All,
    Nothing,
    /// The top of a document read for the outline.
    OutlineRoot,
    Paths,
    PathItem,
    Operation,
    /// `components`: only `schemas`, and only its keys.
    Components,
    /// Keys only (their values are not kept).
    Names,
}

impl Keep {
    pub(super) fn value_of(self, key: &str) -> Keep {
        match self {
            Keep::All => Keep::All,
            Keep::Nothing | Keep::Names => Keep::Nothing,
            Keep::OutlineRoot => match key {
                "paths" => Keep::Paths,
                "components" => Keep::Components,
                "definitions" => Keep::Names,
                "parameters" | "responses" | "webhooks" => Keep::Nothing,
                _ => Keep::All,
            },
            Keep::Paths => Keep::PathItem,
            Keep::PathItem if key == "$ref" => Keep::All,
            Keep::PathItem if crate::build::METHODS.contains(&key) => Keep::Operation,
            Keep::PathItem => Keep::Nothing,
            Keep::Operation => match key {
                "operationId" | "summary" | "tags" | "deprecated" => Keep::All,
                _ => Keep::Nothing,
            },
            Keep::Components if key == "schemas" => Keep::Names,
            Keep::Components => Keep::Nothing,
        }
    }

    pub(super) fn item(self) -> Keep {
        match self {
            Keep::All => Keep::All,
            _ => Keep::Nothing,
        }
    }
}
