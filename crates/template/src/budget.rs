//! How much one request's templating may produce. Variables whose values refer to other variables
//! several times (`a1 = {{a0}}{{a0}}`, `a2 = {{a1}}{{a1}}`, ...) double at every level: a
//! one-kilobyte collection would otherwise expand into gigabytes and keep the sender (or the
//! window, which resolves a request when its tab opens) busy for minutes. Literal text is never
//! counted: a large body typed or pasted by the user resolves as before.

use std::fmt;

/// The most bytes one variable's resolved value may hold.
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;

/// The most bytes substitutions may add to one request, all fields together.
pub const MAX_REQUEST_BYTES: usize = 8 * 1024 * 1024;

/// The most `{{name}}` substitutions, nested ones included, in one request.
pub const MAX_EXPANSIONS: usize = 10_000;

/// Which budget a resolution ran out of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// [`MAX_VALUE_BYTES`].
    ValueBytes,
    /// [`MAX_REQUEST_BYTES`].
    RequestBytes,
    /// [`MAX_EXPANSIONS`].
    Expansions,
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Budget::ValueBytes => write!(f, "{} MiB for one value", MAX_VALUE_BYTES >> 20),
            Budget::RequestBytes => write!(f, "{} MiB for one request", MAX_REQUEST_BYTES >> 20),
            Budget::Expansions => write!(f, "{MAX_EXPANSIONS} substitutions for one request"),
        }
    }
}
