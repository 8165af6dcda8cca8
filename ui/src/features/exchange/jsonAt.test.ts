import { describe, expect, it } from "vitest";
import { valueAtLine } from "./jsonAt";

const doc = JSON.stringify(
  { id: 1, name: "Pen", price: 1.5, tags: ["a", "b,]"], "odd key": { "it's": true }, items: [{ id: 7 }, { id: 8, n: null }], empty: [] },
  null,
  2,
);

/** The offset of the end of the first line holding `needle`. */
function lineOf(needle: string): number {
  const at = doc.indexOf(needle);
  const nl = doc.indexOf("\n", at);
  return nl < 0 ? doc.length : nl;
}

describe("valueAtLine", () => {
  it("finds the member value on a line and its path", () => {
    expect(valueAtLine(doc, lineOf('"id": 1'))).toEqual({ path: "$.id", value: "1" });
    expect(valueAtLine(doc, lineOf('"name"'))).toEqual({ path: "$.name", value: '"Pen"' });
    expect(valueAtLine(doc, lineOf('"price"') - 3)).toEqual({ path: "$.price", value: "1.5" });
  });

  it("counts array items, strings with commas and brackets included", () => {
    expect(valueAtLine(doc, lineOf('"b,]"'))).toEqual({ path: "$.tags[1]", value: '"b,]"' });
    expect(valueAtLine(doc, lineOf('"id": 8'))).toEqual({ path: "$.items[1].id", value: "8" });
    expect(valueAtLine(doc, lineOf('"n": null'))).toEqual({ path: "$.items[1].n", value: "null" });
  });

  it("quotes keys that are not plain names and gives small containers as compact JSON", () => {
    expect(valueAtLine(doc, lineOf('"it\'s"'))).toEqual({ path: "$['odd key']['it\\'s']", value: "true" });
    expect(valueAtLine(doc, lineOf('"odd key"'))).toEqual({ path: "$['odd key']", value: '{"it\'s":true}' });
    expect(valueAtLine(doc, lineOf('"empty"'))).toEqual({ path: "$.empty", value: "[]" });
    expect(valueAtLine(doc, 0)).toEqual({ path: "$", value: JSON.stringify(JSON.parse(doc)) });
  });

  it("has nothing for a closing line", () => {
    expect(valueAtLine(doc, doc.length)).toBeNull();
  });
});
