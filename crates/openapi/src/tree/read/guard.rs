//! The budget every reader counts against: nodes, bytes of text and nesting, shared by the
//! JSON and YAML readers so both fail the same way. It also remembers the trail of keys while
//! an abort unwinds, to name where a document nests too deep, and turns the abort into the
//! matching [`ImportError`].

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use serde::de;

use crate::error::ImportError;
use crate::tree::Node;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Abort {
    /// Nested past the cap.
    Depth,
    /// Too many nodes.
    Nodes,
    /// Too many bytes of text.
    Bytes,
}

/// Limits, the trail of keys leading to where reading stopped, and scratch stacks that let
/// every array and object be allocated once at its final size.
pub(super) struct Guard<'de> {
    nodes_left: Cell<usize>,
    budget: usize,
    bytes_left: Cell<usize>,
    byte_budget: usize,
    pub(super) yaml: bool,
    pub(super) abort: Cell<Option<Abort>>,
    /// Keys and indexes collected innermost-first while an abort unwinds.
    trail: RefCell<Vec<String>>,
    pub(super) items: RefCell<Vec<Node<'de>>>,
    pub(super) entries: RefCell<Vec<(Cow<'de, str>, Node<'de>)>>,
}

impl<'de> Guard<'de> {
    pub(super) fn new(budget: usize, byte_budget: usize, yaml: bool) -> Self {
        Guard {
            nodes_left: Cell::new(budget),
            budget,
            bytes_left: Cell::new(byte_budget),
            byte_budget,
            yaml,
            abort: Cell::new(None),
            trail: RefCell::new(Vec::new()),
            items: RefCell::new(Vec::new()),
            entries: RefCell::new(Vec::new()),
        }
    }

    pub(super) fn count<E: de::Error>(&self) -> Result<(), E> {
        match self.nodes_left.get().checked_sub(1) {
            Some(left) => {
                self.nodes_left.set(left);
                Ok(())
            }
            None => {
                self.abort.set(Some(Abort::Nodes));
                Err(E::custom("too many nodes after expanding aliases"))
            }
        }
    }

    /// Counts the bytes of a string or key against the byte budget.
    pub(super) fn count_bytes<E: de::Error>(&self, len: usize) -> Result<(), E> {
        match self.bytes_left.get().checked_sub(len) {
            Some(left) => {
                self.bytes_left.set(left);
                Ok(())
            }
            None => {
                self.abort.set(Some(Abort::Bytes));
                Err(E::custom("too much text after expanding aliases"))
            }
        }
    }

    /// Counts a string value: one node and its bytes.
    pub(super) fn count_str<E: de::Error>(&self, len: usize) -> Result<(), E> {
        self.count()?;
        self.count_bytes(len)
    }

    pub(super) fn note<E>(&self, segment: impl FnOnce() -> String, err: E) -> E {
        if self.abort.get() == Some(Abort::Depth) {
            self.trail.borrow_mut().push(segment());
        }
        err
    }

    pub(super) fn into_error(self, line: usize, column: usize, message: String) -> ImportError {
        match self.abort.get() {
            Some(Abort::Depth) => {
                let mut pointer = String::new();
                for segment in self.trail.into_inner().iter().rev() {
                    pointer.push('/');
                    crate::pointer::push_escaped(&mut pointer, segment);
                }
                ImportError::TooDeep {
                    pointer,
                    line,
                    column,
                }
            }
            Some(Abort::Nodes) => ImportError::AliasBomb {
                line,
                column,
                limit: self.budget,
            },
            Some(Abort::Bytes) => ImportError::AliasBytes {
                line,
                column,
                limit: self.byte_budget,
            },
            None => ImportError::Syntax {
                line,
                column,
                message,
            },
        }
    }
}
