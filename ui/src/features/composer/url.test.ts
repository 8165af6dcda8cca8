import { describe, expect, it } from "vitest";
import {
  decodeQueryComponent,
  formatQuery,
  mergeUrlParams,
  paramsToUrl,
  parseQuery,
  queryForSend,
  splitUrl,
  urlForSend,
  urlToParams,
  type ParamRow,
} from "./url";

let n = 0;
const id = () => `t${++n}`;
const rows = (url: string, old: ParamRow[] = []) => mergeUrlParams(old, urlToParams(url).params, id);
const strip = (r: ParamRow[]) => r.map(({ name, value, enabled }) => ({ name, value, enabled }));

describe("splitUrl", () => {
  it("splits base, query and fragment", () => {
    expect(splitUrl("http://h/p?a=1#frag")).toEqual({ base: "http://h/p", query: "a=1", fragment: "frag" });
  });
  it("tells no query from a bare ?", () => {
    expect(splitUrl("http://h/p").query).toBeNull();
    expect(splitUrl("http://h/p?").query).toBe("");
  });
  it("treats ? inside the fragment as part of it", () => {
    expect(splitUrl("http://h/p#x?y=1")).toEqual({ base: "http://h/p", query: null, fragment: "x?y=1" });
  });
});

describe("URL to rows", () => {
  it("fills rows in order, duplicates included", () => {
    expect(strip(rows("http://h/?a=1&b=2&a=3"))).toEqual([
      { name: "a", value: "1", enabled: true },
      { name: "b", value: "2", enabled: true },
      { name: "a", value: "3", enabled: true },
    ]);
  });
  it("keeps empty values and =-less keys apart", () => {
    expect(parseQuery("a=&flag&b=")).toEqual([
      { name: "a", value: "", bare: false },
      { name: "flag", value: "", bare: true },
      { name: "b", value: "", bare: false },
    ]);
  });
  it("keeps percent-encoding and + as typed", () => {
    expect(parseQuery("q=a%20b+c&n%C3%A9=%26")).toEqual([
      { name: "q", value: "a%20b+c", bare: false },
      { name: "n%C3%A9", value: "%26", bare: false },
    ]);
  });
  it("splits on the first = only", () => {
    expect(parseQuery("x=a=b")).toEqual([{ name: "x", value: "a=b", bare: false }]);
  });
  it("gives no rows for no query or a bare ?", () => {
    expect(rows("http://h/p")).toEqual([]);
    expect(rows("http://h/p?")).toEqual([]);
    expect(rows("http://h/p?#f")).toEqual([]);
  });
  it("ignores a fragment", () => {
    expect(strip(rows("http://h/?a=1#b=2"))).toEqual([{ name: "a", value: "1", enabled: true }]);
  });
});

describe("rows to URL", () => {
  it("round-trips queries exactly", () => {
    for (const url of [
      "http://h/p?a=1&b=2",
      "http://h/p?a=1&a=2&a=",
      "http://h/p?flag&x=1",
      "http://h/p?q=a%20b+c%2B&e=%E2%9C%93",
      "http://h/p?a=1#section",
      "http://h/p?x=a=b",
      "https://example.com:8443/a/b/c?z=&y&x=1#frag?not=query",
    ]) {
      expect(paramsToUrl(url, rows(url))).toBe(url);
    }
  });
  it("leaves out disabled rows but keeps them in the table", () => {
    const r = rows("http://h/?a=1&b=2&c=3");
    r[1] = { ...r[1], enabled: false };
    const url = paramsToUrl("http://h/?a=1&b=2&c=3", r);
    expect(url).toBe("http://h/?a=1&c=3");
    const again = rows(url, r);
    expect(strip(again)).toEqual([
      { name: "a", value: "1", enabled: true },
      { name: "b", value: "2", enabled: false },
      { name: "c", value: "3", enabled: true },
    ]);
  });
  it("drops the ? when no row is enabled, and keeps the fragment", () => {
    const r = rows("http://h/p?a=1#top").map((x) => ({ ...x, enabled: false }));
    expect(paramsToUrl("http://h/p?a=1#top", r)).toBe("http://h/p#top");
  });
  it("adds a query to a URL that had none, before the fragment", () => {
    expect(paramsToUrl("http://h/p#top", [{ name: "k", value: "v", enabled: true }])).toBe("http://h/p?k=v#top");
  });
  it("turns a bare ? into a query when a row is added", () => {
    expect(paramsToUrl("http://h/p?", [{ name: "k", value: "", enabled: true }])).toBe("http://h/p?k=");
  });
  it("skips blank rows", () => {
    expect(
      paramsToUrl("http://h/", [
        { name: "", value: "", enabled: true },
        { name: "a", value: "1", enabled: true },
      ]),
    ).toBe("http://h/?a=1");
  });
  it("escapes only the characters that would break the query", () => {
    expect(formatQuery([{ name: "a&b=c", value: "x&y=z#w %41", enabled: true }])).toBe("a%26b%3Dc=x%26y=z%23w %41");
  });
  it("keeps a disabled row's place when the URL is edited", () => {
    const old: ParamRow[] = [
      { id: "1", name: "a", value: "1", enabled: true },
      { id: "2", name: "off", value: "x", enabled: false },
      { id: "3", name: "b", value: "2", enabled: true },
    ];
    const merged = mergeUrlParams(old, parseQuery("a=1&b=22&c=3"), id);
    expect(merged.map((r) => [r.id, r.name, r.value, r.enabled])).toEqual([
      ["1", "a", "1", true],
      ["2", "off", "x", false],
      ["3", "b", "22", true],
      [merged[3].id, "c", "3", true],
    ]);
    // Removing a parameter from the URL removes its row.
    expect(mergeUrlParams(old, parseQuery("a=1"), id).map((r) => r.name)).toEqual(["a", "off"]);
  });
});

describe("sending", () => {
  it("sends the URL without query or fragment", () => {
    expect(urlForSend(" http://h/p?a=1#f ")).toBe("http://h/p");
    expect(urlForSend("http://h/p")).toBe("http://h/p");
  });
  it("sends every non-blank row with its flag, decoded", () => {
    const r: ParamRow[] = [
      { id: "1", name: "q", value: "a%20b+c", enabled: true },
      { id: "2", name: "off", value: "1", enabled: false },
      { id: "3", name: "", value: "", enabled: true },
      { id: "4", name: "n%C3%A9", value: "%2B%26", enabled: true },
    ];
    expect(queryForSend(r)).toEqual([
      { name: "q", value: "a b c", enabled: true },
      { name: "off", value: "1", enabled: false },
      { name: "né", value: "+&", enabled: true },
    ]);
  });
  it("keeps invalid escapes as typed", () => {
    expect(decodeQueryComponent("100%")).toBe("100%");
    expect(decodeQueryComponent("%zz%41")).toBe("%zzA");
    expect(decodeQueryComponent("%FF")).toBe("%FF");
  });
});
