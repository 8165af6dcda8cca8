//! The result shapes of imports and exports: a value plus the list of things that did not make
//! it across, each with the place it came from.

/// Something that could not be carried over, and where it was.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    /// Where in the source: an item path such as `Users/Create user`, a curl flag such as `-o`,
    /// or the collection's name for things that belong to the whole collection.
    pub location: String,
    pub message: String,
}

impl Warning {
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            location: location.into(),
            message: message.into(),
        }
    }
}

/// What an importer produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported<T> {
    pub value: T,
    pub warnings: Vec<Warning>,
}

/// What an exporter produced: the file's text and what it had to leave out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub text: String,
    pub warnings: Vec<Warning>,
}

/// Collects warnings while a document is walked.
#[derive(Debug, Default)]
pub(crate) struct Warnings(pub Vec<Warning>);

impl Warnings {
    pub fn push(&mut self, location: &str, message: impl Into<String>) {
        self.0.push(Warning::new(location, message));
    }
}

/// `parent/child`, or `child` at the top.
pub(crate) fn join_path(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}/{child}")
    }
}
