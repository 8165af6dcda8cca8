import { describe, expect, it } from "vitest";

import { isCsvType, parseCsv } from "./csv";

describe("parseCsv", () => {
  it("reads a header and rows, LF or CRLF", () => {
    expect(parseCsv("id,name\n1,a\n2,b\n").rows).toEqual([["id", "name"], ["1", "a"], ["2", "b"]]);
    expect(parseCsv("id,name\r\n1,a\r\n2,b").rows).toEqual([["id", "name"], ["1", "a"], ["2", "b"]]);
  });

  it("understands RFC 4180 quoting", () => {
    const text = 'name,note\n"Smith, J","said ""hi""\nand left"\n,\n';
    expect(parseCsv(text).rows).toEqual([
      ["name", "note"],
      ["Smith, J", 'said "hi"\nand left'],
      ["", ""],
    ]);
  });

  it("keeps empty trailing fields", () => {
    expect(parseCsv("a,b,\n1,,\n").rows).toEqual([["a", "b", ""], ["1", "", ""]]);
  });

  it("caps the rows it reads", () => {
    const text = Array.from({ length: 50 }, (_, i) => `${i},x`).join("\n");
    const t = parseCsv(text, 10);
    expect(t.rows).toHaveLength(10);
    expect(t.rows[9]).toEqual(["9", "x"]);
    expect(t.capped).toBe(true);
    expect(parseCsv(text, 50).capped).toBe(false);
  });

  it("drops a row the window cut, and says so", () => {
    const t = parseCsv('a,b\n1,2\n3,"unfinish', 100, false);
    expect(t.rows).toEqual([["a", "b"], ["1", "2"]]);
    expect(t.capped).toBe(true);
  });
});

describe("isCsvType", () => {
  it("knows text/csv with parameters", () => {
    expect(isCsvType("text/csv; charset=utf-8")).toBe(true);
    expect(isCsvType("application/json")).toBe(false);
    expect(isCsvType(null)).toBe(false);
  });
});
