import { describe, expect, it } from "vitest";
import { bodyProblem, emptyBodyDraft, toRequestBody, withKind, type BodyDraft, type PartRow } from "./body";

function part(p: Partial<PartRow>): PartRow {
  return { id: "p", name: "", enabled: true, type: "text", text: "", path: "", filename: "", contentType: "", ...p };
}

function filled(): BodyDraft {
  return {
    kind: "none",
    json: '{"a": 1}',
    text: { contentType: "text/csv", text: "a,b\n1,2" },
    form: [
      { id: "1", name: "a", value: "1", enabled: true },
      { id: "2", name: "b", value: "2", enabled: false },
      { id: "3", name: "", value: "", enabled: true },
    ],
    multipart: [
      part({ name: "field", text: "hello" }),
      part({ name: "upload", type: "file", path: "/tmp/x.png", filename: " ", contentType: "image/png", text: "kept" }),
      part({ name: "off", enabled: false, text: "x" }),
      part({}),
    ],
    binary: { path: "/tmp/data.bin", contentType: "" },
  };
}

describe("toRequestBody", () => {
  it("none", () => {
    expect(toRequestBody(filled())).toEqual({ kind: "none" });
  });
  it("json is sent as typed", () => {
    expect(toRequestBody(withKind(filled(), "json"))).toEqual({ kind: "json", text: '{"a": 1}' });
  });
  it("text carries its content type, defaulting to text/plain", () => {
    expect(toRequestBody(withKind(filled(), "text"))).toEqual({ kind: "text", contentType: "text/csv", text: "a,b\n1,2" });
    const d = withKind(filled(), "text");
    d.text.contentType = "  ";
    expect(toRequestBody(d)).toMatchObject({ contentType: "text/plain" });
  });
  it("form keeps disabled rows flagged and drops blank ones", () => {
    expect(toRequestBody(withKind(filled(), "form"))).toEqual({
      kind: "form",
      fields: [
        { name: "a", value: "1", enabled: true },
        { name: "b", value: "2", enabled: false },
      ],
    });
  });
  it("multipart has text and file parts; empty filename and type become null", () => {
    expect(toRequestBody(withKind(filled(), "multipart"))).toEqual({
      kind: "multipart",
      parts: [
        { name: "field", enabled: true, value: { kind: "text", text: "hello" } },
        { name: "upload", enabled: true, value: { kind: "file", path: "/tmp/x.png", filename: null, contentType: "image/png" } },
        { name: "off", enabled: false, value: { kind: "text", text: "x" } },
      ],
    });
  });
  it("binary sends the path, content type null when empty", () => {
    expect(toRequestBody(withKind(filled(), "binary"))).toEqual({ kind: "binary", path: "/tmp/data.bin", contentType: null });
  });
});

describe("switching kinds", () => {
  it("keeps every kind's content", () => {
    let d = filled();
    const before = JSON.parse(JSON.stringify(d));
    for (const k of ["json", "form", "multipart", "binary", "text", "none", "json"] as const) d = withKind(d, k);
    expect(d.kind).toBe("json");
    expect({ ...d, kind: "none" }).toEqual(before);
  });
  it("does not change the draft it was given", () => {
    const d = filled();
    withKind(d, "json");
    expect(d.kind).toBe("none");
  });
  it("starts empty", () => {
    expect(toRequestBody(emptyBodyDraft())).toEqual({ kind: "none" });
  });
});

describe("bodyProblem", () => {
  it("asks for a binary file", () => {
    const d = withKind(emptyBodyDraft(), "binary");
    expect(bodyProblem(d)).toMatch(/Choose a file/);
  });
  it("asks for enabled multipart file parts only", () => {
    const d = withKind(emptyBodyDraft(), "multipart");
    d.multipart = [part({ name: "f", type: "file", enabled: false })];
    expect(bodyProblem(d)).toBeNull();
    d.multipart = [part({ name: "f", type: "file" })];
    expect(bodyProblem(d)).toMatch(/"f"/);
  });
});
