// Ids for table rows, so each row keeps its DOM nodes (and focus) while the list changes.

let counter = 0;

export function newId(): string {
  counter += 1;
  return `r${counter}`;
}
