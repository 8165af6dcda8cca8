// A row turns itself on when the user fills it. Try it leaves optional rows and required file
// parts switched off until they have a value; without this rule a header typed into such a row,
// or a file chosen for a required part, was silently not sent (422 "cover missing").
//
// The rule: a value (or a part's file) that goes from empty to non-empty switches its row on.
// Editing a value that was already there never touches the checkbox, so a row the user switched
// off after filling it stays off.

/** Whether a row is on after its value went from `before` to `after`. */
export function enabledAfterFill(enabled: boolean, before: string, after: string): boolean {
  return enabled || (before === "" && after !== "");
}

/**
 * The patch for setting `row[key]` to `value`: the value, plus `enabled: true` when that fills a
 * disabled row.
 */
export function fillPatch<R extends { enabled: boolean }, K extends keyof R & string>(
  row: R,
  key: K,
  value: string,
): Partial<R> {
  const before = String(row[key] ?? "");
  const patch = { [key]: value } as Partial<R>;
  if (!row.enabled && enabledAfterFill(false, before, value)) (patch as { enabled?: boolean }).enabled = true;
  return patch;
}
