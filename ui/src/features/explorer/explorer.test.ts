import { describe, expect, it } from "vitest";
import type { OperationSummary } from "../../lib/bindings/openapi/OperationSummary";
import type { Schema } from "../../lib/bindings/openapi/Schema";
import type { TryItRequest } from "../../lib/bindings/openapi/TryItRequest";
import { buildRequest } from "../composer/request";
import { defaultSettingsDraft, toRequestSettings } from "../composer/settings";
import { constraints, flags, responseClass, schemaChildren, typeLabel, unwrapNullable, usefulTitle } from "./schema";
import {
  buildRows,
  firstItem,
  groupOperations,
  headerOf,
  methodLabel,
  pathGroup,
  searchIndex,
  searchOperations,
  searchSchemas,
  SCHEMAS_GROUP,
} from "./search";
import { composerFromTryIt, encodeQueryComponent, tabAfterTryIt, variablesFromTryIt } from "./tryit";
import { moveIndex, pageRows, revealScrollTop, visibleWindow } from "./virtual";

const op = (id: string, method: string, path: string, summary: string | null = null, tags: string[] = []): OperationSummary => ({
  id,
  method,
  path,
  summary,
  tags,
  deprecated: false,
});

const OPS = [
  op("list_items", "GET", "/items", "List items", ["items"]),
  op("create_item", "POST", "/items", "Create an item", ["items"]),
  op("get_user", "GET", "/users/{id}", "Fetch a User", ["users"]),
  op("health", "GET", "/health", null),
  op("GET /health/deep", "GET", "/health/deep", "Deep check"),
  op("root", "GET", "/", "Root"),
];

describe("searchOperations", () => {
  it("keeps everything for an empty or blank query", () => {
    expect(searchOperations(OPS, "")).toHaveLength(OPS.length);
    expect(searchOperations(OPS, "   ")).toHaveLength(OPS.length);
  });
  it("matches path, summary and id, case-insensitively", () => {
    expect(searchOperations(OPS, "/USERS").map((o) => o.id)).toEqual(["get_user"]);
    expect(searchOperations(OPS, "fetch a user").map((o) => o.id)).toEqual(["get_user"]);
    expect(searchOperations(OPS, "create").map((o) => o.id)).toEqual(["create_item"]);
    expect(searchOperations(OPS, "CREATE_IT").map((o) => o.id)).toEqual(["create_item"]);
  });
  it("needs every term and matches substrings", () => {
    expect(searchOperations(OPS, "item list").map((o) => o.id)).toEqual(["list_items"]);
    expect(searchOperations(OPS, "ealt").map((o) => o.id)).toEqual(["health", "GET /health/deep"]);
    expect(searchOperations(OPS, "nothing-like-this")).toEqual([]);
  });
  it("handles a null summary and uses a prebuilt index", () => {
    const index = searchIndex(OPS);
    expect(searchOperations(OPS, "null", index)).toEqual([]);
    expect(searchOperations(OPS, "deep", index).map((o) => o.id)).toEqual(["GET /health/deep"]);
  });
  it("is fast enough for 20,000 operations", () => {
    const many = Array.from({ length: 20_000 }, (_, i) => op(`op_${i}`, "GET", `/res${i % 50}/${i}`, `Operation number ${i}`, [`t${i % 20}`]));
    const index = searchIndex(many);
    const t0 = performance.now();
    const hits = searchOperations(many, "number 1999", index);
    const rows = buildRows(groupOperations(hits), [], new Set(), true);
    expect(hits.map((o) => o.id).sort()).toEqual(["op_11999", "op_1999", "op_19990", "op_19991", "op_19992", "op_19993", "op_19994", "op_19995", "op_19996", "op_19997", "op_19998", "op_19999"]);
    expect(rows.length).toBeGreaterThan(hits.length);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe("grouping and rows", () => {
  it("groups by tag, untagged by first path segment", () => {
    expect(pathGroup("/health/deep")).toBe("/health");
    expect(pathGroup("/")).toBe("/");
    expect(pathGroup("items/{id}")).toBe("/items");
    const groups = groupOperations(OPS, ["users", "unused"]);
    expect(groups.map((g) => [g.name, g.byPath, g.ops.length])).toEqual([
      ["users", false, 1],
      ["items", false, 2],
      ["/health", true, 2],
      ["/", true, 1],
    ]);
  });
  it("lists an operation under each of its tags once", () => {
    const groups = groupOperations([op("x", "GET", "/x", null, ["a", "b", "a"])]);
    expect(groups.map((g) => g.name)).toEqual(["a", "b"]);
  });
  it("flattens, honours collapsed groups unless expanding all, and appends schemas", () => {
    const groups = groupOperations(OPS.slice(0, 3));
    const rows = buildRows(groups, ["Item", "User"], new Set(["items"]));
    expect(rows.map((r) => r.kind)).toEqual(["group", "group", "op", "schemas", "schema", "schema"]);
    expect(rows[0]).toMatchObject({ group: "items", collapsed: true, count: 2 });
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    expect(buildRows(groups, [], new Set(["items"]), true).map((r) => r.kind)).toEqual(["group", "op", "op", "group", "op"]);
    expect(buildRows(groups, ["A"], new Set([SCHEMAS_GROUP])).slice(-1)[0]).toMatchObject({ kind: "schemas", collapsed: true });
  });
  it("gives unique keys even when a tag looks like a path group", () => {
    const groups = groupOperations([op("a", "GET", "/items", null, ["/items"]), op("b", "GET", "/items/x", null)]);
    expect(groups.map((g) => g.name)).toEqual(["/items", "/items"]);
    const rows = buildRows(groups, ["X", "X"], new Set());
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });
    it("finds headers and first items", () => {
    const rows = buildRows(groupOperations(OPS.slice(0, 3)), ["Item"], new Set());
    expect(headerOf(rows, 2)).toBe(0);
    expect(headerOf(rows, 4)).toBe(3);
    expect(headerOf(rows, 3)).toBe(3);
    expect(firstItem(rows)).toBe(1);
    expect(firstItem([])).toBe(-1);
  });
  it("searches schema names", () => {
    expect(searchSchemas(["Item", "ItemCreate", "User"], "item")).toEqual(["Item", "ItemCreate"]);
    expect(searchSchemas(["Item"], "")).toEqual(["Item"]);
  });
  it("shortens long methods", () => {
    expect(methodLabel("delete")).toBe("DEL");
    expect(methodLabel("OPTIONS")).toBe("OPT");
    expect(methodLabel("PATCH")).toBe("PATCH");
    expect(methodLabel("PROPFIND")).toBe("PROPF");
  });
});

describe("virtual list math", () => {
  it("renders the visible rows plus overscan", () => {
    expect(visibleWindow(0, 100, 20, 1000, 2)).toEqual({ start: 0, end: 7, offset: 0, total: 20000 });
    expect(visibleWindow(410, 100, 20, 1000, 2)).toEqual({ start: 18, end: 28, offset: 360, total: 20000 });
  });
  it("clamps a scroll position past the end and handles empty lists", () => {
    expect(visibleWindow(99999, 100, 20, 10, 0)).toEqual({ start: 5, end: 10, offset: 100, total: 200 });
    expect(visibleWindow(0, 100, 20, 0)).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
    expect(visibleWindow(-50, 0, 20, 5, 0)).toEqual({ start: 0, end: 1, offset: 0, total: 100 });
  });
  it("renders a fixed small number of rows for 20,000 rows", () => {
    const w = visibleWindow(20_000 * 40 - 800, 800, 40, 20_000);
    expect(w.end).toBe(20_000);
    expect(w.end - w.start).toBeLessThanOrEqual(20 + 12);
  });
  it("reveals a row with the least scrolling", () => {
    expect(revealScrollTop(5, 0, 100, 20)).toBe(20); // below: bottom edge aligned
    expect(revealScrollTop(2, 100, 100, 20)).toBe(40); // above: top edge aligned
    expect(revealScrollTop(6, 100, 100, 20)).toBe(100); // visible: unchanged
  });
  it("pages and moves within bounds", () => {
    expect(pageRows(400, 40)).toBe(9);
    expect(pageRows(10, 40)).toBe(1);
    expect(moveIndex(0, -1, 5)).toBe(0);
    expect(moveIndex(3, 10, 5)).toBe(4);
    expect(moveIndex(-1, 1, 5)).toBe(0);
    expect(moveIndex(-1, -1, 5)).toBe(4);
    expect(moveIndex(2, 1, 0)).toBe(-1);
  });
});

function schema(partial: Partial<Schema>): Schema {
  return { types: [], properties: [], ...partial } as Schema;
}

describe("schema helpers", () => {
  it("labels types, arrays and refs; absent fields are fine", () => {
    expect(typeLabel(schema({ types: ["string"] }))).toBe("string");
    expect(typeLabel(schema({ types: ["array"], items: schema({ types: ["object"], refName: "Item" }) }))).toBe("array<Item>");
    expect(typeLabel(schema({ types: ["array"], items: schema({ types: ["integer"] }) }))).toBe("array<integer>");
    expect(typeLabel(schema({ properties: [{ name: "a", schema: schema({}) }] }))).toBe("object");
    expect(typeLabel(schema({ oneOf: [schema({}), schema({})] }))).toBe("oneOf");
    expect(typeLabel(schema({ types: ["string", "integer", "null"] }))).toBe("string | integer");
    expect(typeLabel(schema({ recursive: true, refName: "Node" }))).toBe("Node");
    expect(typeLabel({} as Schema)).toBe("any");
  });
  it("unwraps Pydantic's optional anyOf", () => {
    const s = schema({ description: "outer", anyOf: [schema({ types: ["string"], maxLength: 5 }), schema({ types: ["null"] })] });
    const u = unwrapNullable(s);
    expect(u.types).toEqual(["string"]);
    expect(u.nullable).toBe(true);
    expect(u.description).toBe("outer");
    expect(typeLabel(s)).toBe("string");
    expect(flags(s)).toEqual(["nullable"]);
    expect(constraints(s)).toEqual(["length ≤ 5"]);
    expect(schemaChildren(s)).toEqual([]);
    // A real union stays a union.
    const two = schema({ anyOf: [schema({ types: ["string"] }), schema({ types: ["integer"] })] });
    expect(unwrapNullable(two)).toBe(two);
  });
  it("lists constraints", () => {
    expect(
      constraints(schema({ minimum: 1, exclusiveMaximum: 10, minLength: 2, maxLength: 2, pattern: "^a+$", minItems: 1, uniqueItems: true, multipleOf: 5 })),
    ).toEqual(["≥ 1", "< 10", "multiple of 5", "length 2", "pattern ^a+$", "items ≥ 1", "unique items"]);
    expect(constraints(schema({ exclusiveMinimum: 0, maxLength: 9 }))).toEqual(["> 0", "length ≤ 9"]);
  });
  it("lists children: properties with required, items, branches, recursive leaves", () => {
    const s = schema({
      types: ["object"],
      properties: [
        { name: "id", schema: schema({ types: ["integer"] }) },
        { name: "tags", schema: schema({ types: ["array"], items: schema({ types: ["string"] }) }) },
      ],
      required: ["id"],
      oneOf: [schema({ refName: "Cat" }), schema({ title: "Dog" }), schema({})],
    });
    const groups = schemaChildren(s);
    expect(groups[0].children.map((c) => [c.label, c.required])).toEqual([
      ["id", true],
      ["tags", false],
    ]);
    expect(groups[1].title).toBe("one of");
    expect(groups[1].children.map((c) => c.label)).toEqual(["Cat", "Dog", "option 3"]);
    expect(schemaChildren(groups[0].children[1].schema)[0].children[0].label).toBe("[items]");
    expect(schemaChildren(schema({ recursive: true, refName: "Node", properties: [{ name: "x", schema: schema({}) }] }))).toEqual([]);
  });
  it("classes response statuses", () => {
    expect(["200", "2XX", "301", "404", "4XX", "500", "default", "101"].map(responseClass)).toEqual([
      "success",
      "success",
      "redirect",
      "client",
      "client",
      "server",
      "default",
      "info",
    ]);
  });
});

describe("Try it → composer", () => {
  let n = 0;
  const id = () => `t${++n}`;
  const settings = toRequestSettings(defaultSettingsDraft());
  const base = (patch: Partial<TryItRequest["request"]>): TryItRequest => ({
    request: { method: "POST", url: "http://127.0.0.1:8000/items", query: [], headers: [], body: { kind: "none" }, settings, ...patch },
    pathParams: [],
    missingFiles: [],
    notes: [],
    auth: null,
    variables: [],
  });

  it("defines the path parameters and the engine's variables on the request", () => {
    const t: TryItRequest = {
      ...base({ url: "http://127.0.0.1:8000/items/{{item_id}}" }),
      pathParams: [["item_id", "7"]],
      variables: [{ name: "apiKey", value: "", secret: true, enabled: true }],
    };
    expect(variablesFromTryIt(t)).toEqual([
      { name: "item_id", value: "7", secret: false, enabled: true },
      { name: "apiKey", value: "", secret: true, enabled: true },
    ]);
  });

  it("builds the URL from enabled query rows and keeps disabled ones as rows", () => {
    const state = composerFromTryIt(
      base({
        method: "GET",
        query: [
          { name: "limit", value: "10", enabled: true },
          { name: "tag", value: "a b&c", enabled: true },
          { name: "q", value: "x", enabled: false },
        ],
      }),
      id,
    );
    expect(state.url).toBe("http://127.0.0.1:8000/items?limit=10&tag=a%20b%26c");
    expect(state.params.map((p) => [p.name, p.enabled])).toEqual([
      ["limit", true],
      ["tag", true],
      ["q", false],
    ]);
    expect(tabAfterTryIt(state)).toBe("params");
  });
  it("sends exactly what the engine prefilled", () => {
    const t = base({
      query: [
        { name: "a+b", value: "100% +1", enabled: true },
        { name: "x", value: "", enabled: false },
      ],
      headers: [
        { name: "Authorization", value: "Bearer {{token}}", enabled: true },
        { name: "X-Opt", value: "1", enabled: false },
      ],
      body: { kind: "json", text: '{"name": "x"}' },
    });
    const built = buildRequest(composerFromTryIt(t, id));
    if (!("request" in built)) throw new Error(built.error.message);
    expect(built.request).toEqual(t.request);
  });
  it("keeps a query that is already in the URL", () => {
    const state = composerFromTryIt(base({ url: "http://h/p?fixed=1", query: [{ name: "b", value: "2", enabled: true }] }), id);
    expect(state.url).toBe("http://h/p?fixed=1&b=2");
    expect(state.params.map((p) => p.name)).toEqual(["fixed", "b"]);
  });
  it("loads every body kind", () => {
    const multipart = composerFromTryIt(
      base({
        body: {
          kind: "multipart",
          parts: [
            { name: "meta", enabled: true, value: { kind: "text", text: "{}" } },
            { name: "file", enabled: false, value: { kind: "file", path: "", filename: null, contentType: "image/png" } },
          ],
        },
      }),
      id,
    );
    expect(multipart.body.kind).toBe("multipart");
    expect(multipart.body.multipart.map((p) => [p.name, p.type, p.enabled, p.contentType])).toEqual([
      ["meta", "text", true, ""],
      ["file", "file", false, "image/png"],
    ]);
    expect(tabAfterTryIt(multipart)).toBe("body");
    const form = composerFromTryIt(base({ body: { kind: "form", fields: [{ name: "a", value: "1 2", enabled: true }] } }), id);
    expect(form.body.form.map((r) => [r.name, r.value])).toEqual([["a", "1 2"]]);
    const text = composerFromTryIt(base({ body: { kind: "text", contentType: "application/xml", text: "<a/>" } }), id);
    expect(text.body.text).toEqual({ contentType: "application/xml", text: "<a/>" });
    const bin = composerFromTryIt(base({ body: { kind: "binary", path: "", contentType: null } }), id);
    expect(bin.body.binary).toEqual({ path: "", contentType: "" });
  });
  it("copies settings and tolerates absent fields", () => {
    const t = base({ settings: { ...settings, timeoutMs: 5000, verifyTls: false, proxy: { kind: "url", url: "http://p:3128" } } });
    const s = composerFromTryIt(t, id).settings;
    expect(s).toMatchObject({ timeoutMs: "5000", verifyTls: false, proxyKind: "url", proxyUrl: "http://p:3128" });
    const bare = { request: { method: "GET", url: "http://h/" } } as unknown as TryItRequest;
    const state = composerFromTryIt(bare, id);
    expect(state.params).toEqual([]);
    expect(state.body.kind).toBe("none");
    expect(state.settings).toEqual(defaultSettingsDraft());
  });
  it("encodes only what would change the meaning", () => {
    expect(encodeQueryComponent("a=b&c#d+e%f g")).toBe("a=b%26c%23d%2Be%25f%20g");
    expect(encodeQueryComponent("a=b", true)).toBe("a%3Db");
    expect(encodeQueryComponent("ü/é")).toBe("ü/é");
  });
});

describe("usefulTitle", () => {
  it("hides titles that repeat the name", () => {
    expect(usefulTitle(schema({ title: "Item Id" }), "item_id")).toBeNull();
    expect(usefulTitle(schema({ title: "ItemIn", refName: "ItemIn" }), null)).toBeNull();
    expect(usefulTitle(schema({ title: "The price" }), "price")).toBe("The price");
    expect(usefulTitle(schema({}), "x")).toBeNull();
  });
});
