//! The budgets every importer keeps, so a hostile file ends in a typed error instead of a stack
//! overflow or an import that writes gigabytes: how deep folders may nest and how many requests
//! and folders one import may hold.

use crate::InterchangeError;

/// Folders inside folders, counted from the collection. Deeper than any real collection; far
/// below what would exhaust the stack of the recursive walks (or the store's writer).
pub const MAX_DEPTH: usize = 64;

/// Requests and folders in one import.
pub const MAX_ITEMS: usize = 10_000;

/// Counts the requests and folders of one import against [`MAX_ITEMS`].
#[derive(Debug, Default)]
pub(crate) struct Budget {
    items: usize,
}

impl Budget {
    /// One more request or folder.
    pub fn item(&mut self) -> Result<(), InterchangeError> {
        self.items += 1;
        if self.items > MAX_ITEMS {
            return Err(too_many_items());
        }
        Ok(())
    }
}

pub(crate) fn too_many_items() -> InterchangeError {
    InterchangeError::TooLarge {
        what: "the number of requests and folders",
        limit: MAX_ITEMS,
    }
}

/// Fails when a folder at `depth` (1 = directly in the collection) is too deep.
pub(crate) fn check_depth(depth: usize) -> Result<(), InterchangeError> {
    if depth > MAX_DEPTH {
        return Err(InterchangeError::TooLarge {
            what: "the nesting of folders",
            limit: MAX_DEPTH,
        });
    }
    Ok(())
}
