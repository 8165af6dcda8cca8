import { describe, expect, it } from "vitest";
import type { HttpRequest } from "../../lib/bindings/HttpRequest";
import { composerFromRequest, emptySaved, fingerprint, requestFromComposer } from "./composer";

let n = 0;
const id = () => `t${++n}`;

describe("composer round trip", () => {
  it("puts query rows into the URL and takes them back out", () => {
    const req: HttpRequest = {
      ...emptySaved().request,
      method: "post",
      url: "{{base}}/items?fixed=1",
      query: [
        { name: "q", value: "a b", enabled: true },
        { name: "off", value: "x", enabled: false },
      ],
      headers: [{ name: "X-Token", value: "{{token}}", enabled: true }],
      body: { kind: "json", text: '{"a":1}' },
    };
    const state = composerFromRequest(req, id);
    expect(state.url).toBe("{{base}}/items?fixed=1&q=a%20b");
    expect(state.params.map((p) => p.enabled)).toEqual([true, true, false]);
    const back = requestFromComposer(state);
    expect(back.method).toBe("POST");
    expect(back.url).toBe("{{base}}/items");
    expect(back.query).toEqual([
      { name: "fixed", value: "1", enabled: true },
      { name: "q", value: "a b", enabled: true },
      { name: "off", value: "x", enabled: false },
    ]);
    expect(back.headers).toEqual(req.headers);
    expect(back.body).toEqual(req.body);
  });

  it("is stable: a second round trip changes nothing", () => {
    const saved = emptySaved();
    saved.request.url = "http://x/y?a=1";
    const once = requestFromComposer(composerFromRequest(saved.request, id));
    const twice = requestFromComposer(composerFromRequest(once, id));
    expect(fingerprint({ ...saved, request: twice })).toBe(fingerprint({ ...saved, request: once }));
  });

  it("stores a request with no URL without complaint", () => {
    expect(requestFromComposer(composerFromRequest(emptySaved().request, id)).url).toBe("");
  });
});
