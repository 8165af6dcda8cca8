//! A line diff of two JSON values, pretty-printed, for a failed comparison: `-` expected,
//! `+` actual, ` ` both. Longest common subsequence, so it is budgeted: past [`MAX_DIFF_LINES`]
//! lines on either side there is no diff (the expected and actual texts are still shown).

use serde_json::Value;

/// The most lines either side may have for a diff to be made.
pub const MAX_DIFF_LINES: usize = 400;

pub(super) fn json_diff(expected: &Value, actual: &Value) -> Option<String> {
    let a = serde_json::to_string_pretty(expected).ok()?;
    let b = serde_json::to_string_pretty(actual).ok()?;
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    if a.len() > MAX_DIFF_LINES || b.len() > MAX_DIFF_LINES {
        return None;
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u16; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(format!("  {}", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(format!("- {}", a[i]));
            i += 1;
        } else {
            out.push(format!("+ {}", b[j]));
            j += 1;
        }
    }
    Some(out.join("\n"))
}
