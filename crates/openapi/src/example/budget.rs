//! How big an example may grow. A schema can ask for far more than anyone could send
//! (`minLength: 1e11`, arrays of 32 arrays of 32 ...), and examples are copied into every request
//! that uses them, so each one is made against a budget of bytes and values; running out cuts the
//! example short and leaves a note that names the limit.

use serde_json::Value;

/// Strings are padded towards `minLength` up to this many characters, no further.
pub const MAX_STRING_CHARS: usize = 4096;

/// The bytes (as pretty-printed JSON, roughly) that the examples of one request may take.
pub const EXAMPLE_BYTES: usize = 256 * 1024;

/// The values (and schema nodes visited) that the examples of one request may take.
pub const EXAMPLE_NODES: usize = 20_000;

/// What is left of a budget, and what was cut because it ran out.
#[derive(Debug, Clone)]
pub struct ExampleBudget {
    bytes: usize,
    nodes: usize,
    /// What this budget started with, to tell its parent what it used.
    start_bytes: usize,
    start_nodes: usize,
    limit_bytes: usize,
    limit_nodes: usize,
    /// How the limit is described in notes ("per request", "for the whole import").
    scope: &'static str,
    notes: Vec<String>,
}

impl Default for ExampleBudget {
    fn default() -> Self {
        Self::new(EXAMPLE_BYTES, EXAMPLE_NODES, "per request")
    }
}

/// Bytes and values a JSON value takes, as [`ExampleBudget`] counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Cost {
    pub nodes: usize,
    pub bytes: usize,
}

impl ExampleBudget {
    /// A budget of `bytes` and `nodes`, described as `scope` in the notes it leaves.
    pub fn new(bytes: usize, nodes: usize, scope: &'static str) -> Self {
        Self {
            bytes,
            nodes,
            start_bytes: bytes,
            start_nodes: nodes,
            limit_bytes: bytes,
            limit_nodes: nodes,
            scope,
            notes: Vec::new(),
        }
    }

    /// A budget for one request out of this one: the per-request limits, or what is left here
    /// when that is less (then notes name this budget's scope).
    pub fn for_request(&self) -> Self {
        if self.bytes >= EXAMPLE_BYTES && self.nodes >= EXAMPLE_NODES {
            return Self::default();
        }
        let bytes = self.bytes.min(EXAMPLE_BYTES);
        let nodes = self.nodes.min(EXAMPLE_NODES);
        Self {
            bytes,
            nodes,
            start_bytes: bytes,
            start_nodes: nodes,
            limit_bytes: self.limit_bytes,
            limit_nodes: self.limit_nodes,
            scope: self.scope,
            notes: Vec::new(),
        }
    }

    /// Takes what `part` (made by [`ExampleBudget::for_request`]) used off this budget.
    pub fn spend(&mut self, part: &ExampleBudget) {
        let used_bytes = part.start_bytes.saturating_sub(part.bytes);
        let used_nodes = part.start_nodes.saturating_sub(part.nodes);
        self.bytes = self.bytes.saturating_sub(used_bytes);
        self.nodes = self.nodes.saturating_sub(used_nodes);
    }

    /// What was cut, one sentence each, without repeats.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Takes the notes out, leaving none.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// Nothing more fits: generation stops walking.
    pub(crate) fn spent(&self) -> bool {
        self.nodes == 0 || self.bytes == 0
    }

    /// Takes `cost` if it fits; otherwise takes nothing, notes the cut and says no.
    pub(crate) fn charge(&mut self, cost: Cost) -> bool {
        if cost.nodes <= self.nodes && cost.bytes <= self.bytes {
            self.nodes -= cost.nodes;
            self.bytes -= cost.bytes;
            return true;
        }
        self.cut(cost.nodes > self.nodes);
        false
    }

    /// Takes one schema node visited at `depth`, whether a value comes of it or not, so that
    /// the walk itself is bounded; says no once the budget is spent.
    pub(crate) fn visit(&mut self, depth: usize) -> bool {
        if self.spent() {
            self.cut(self.nodes == 0);
            return false;
        }
        self.nodes -= 1;
        self.bytes = self.bytes.saturating_sub(indent(depth));
        true
    }

    /// Notes that the budget's values (`nodes`) or bytes ran out.
    fn cut(&mut self, nodes: bool) {
        let limit = if nodes {
            format!("{} values", self.limit_nodes)
        } else {
            format!("{} KiB", self.limit_bytes / 1024)
        };
        self.note(format!(
            "The example was cut short: Sextant makes at most {limit} of examples {}, and the \
             schema asks for more (large minItems, minLength or nesting); complete it yourself.",
            self.scope
        ));
    }

    pub(crate) fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// The cost of `value` placed at `depth`; once that exceeds what is left the walk stops and
    /// the cost so far is returned (more than [`ExampleBudget::charge`] accepts), so pricing a
    /// huge value is as cheap as pricing a small one.
    pub(crate) fn price(&self, value: &Value, depth: usize) -> Cost {
        let mut cost = Cost::default();
        let mut stack = vec![(value, depth)];
        while let Some((value, depth)) = stack.pop() {
            cost.nodes += 1;
            cost.bytes += indent(depth)
                + match value {
                    Value::String(s) => s.len() + 2,
                    Value::Number(_) => 24,
                    _ => 0,
                };
            match value {
                Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
                Value::Object(fields) => {
                    for (key, v) in fields {
                        cost.bytes += key.len() + 4;
                        stack.push((v, depth + 1));
                    }
                }
                _ => {}
            }
            if cost.nodes > self.nodes || cost.bytes > self.bytes {
                break;
            }
        }
        cost
    }
}

/// A line's indentation and punctuation in pretty-printed JSON at `depth`.
pub(crate) fn indent(depth: usize) -> usize {
    2 * depth + 6
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pricing_stops_at_what_is_left() {
        let budget = ExampleBudget::new(1000, 100, "per test");
        let mut budget = budget;
        let small = budget.price(&json!([1, 2, 3]), 0);
        assert_eq!(small.nodes, 4);
        let big = Value::Array(vec![json!("x"); 1000]);
        let partial = budget.price(&big, 0);
        assert!(partial.nodes < 100, "the walk stops early: {partial:?}");
        assert!(!budget.charge(partial));
        assert!(budget.charge(small));
    }

    #[test]
    fn a_request_budget_is_cut_from_what_the_import_has_left() {
        let mut import = ExampleBudget::new(EXAMPLE_BYTES + 10, 1_000_000, "for the whole import");
        let mut first = import.for_request();
        assert!(first.charge(Cost {
            nodes: 1,
            bytes: EXAMPLE_BYTES
        }));
        import.spend(&first);
        let mut second = import.for_request();
        assert!(!second.charge(Cost {
            nodes: 1,
            bytes: 11
        }));
        assert!(
            second.notes()[0].contains("for the whole import"),
            "{:?}",
            second.notes()
        );
    }
}
