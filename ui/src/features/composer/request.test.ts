import { describe, expect, it } from "vitest";
import { emptyBodyDraft } from "./body";
import { applyEvent, type Exchange } from "../exchange/exchange";
import { buildRequest, type ComposerState } from "./request";
import { defaultSettingsDraft } from "./settings";

function state(over: Partial<ComposerState> = {}): ComposerState {
  return {
    method: "get",
    url: "http://127.0.0.1:8000/items?page=1&off=1#top",
    params: [
      { id: "1", name: "page", value: "1", enabled: true },
      { id: "2", name: "q", value: "a+b", enabled: true },
      { id: "3", name: "off", value: "1", enabled: false },
    ],
    headers: [
      { id: "h1", name: " Accept ", value: "application/json", enabled: true },
      { id: "h2", name: "X-Off", value: "1", enabled: false },
      { id: "h3", name: "", value: "", enabled: true },
    ],
    body: emptyBodyDraft(),
    settings: defaultSettingsDraft(),
    ...over,
  };
}

describe("buildRequest", () => {
  it("splits the URL from its query and sends every row with its flag", () => {
    const built = buildRequest(state());
    if (!("request" in built)) throw new Error("expected a request");
    expect(built.request).toEqual({
      method: "GET",
      url: "http://127.0.0.1:8000/items",
      query: [
        { name: "page", value: "1", enabled: true },
        { name: "q", value: "a b", enabled: true },
        { name: "off", value: "1", enabled: false },
      ],
      headers: [
        { name: "Accept", value: "application/json", enabled: true },
        { name: "X-Off", value: "1", enabled: false },
      ],
      body: { kind: "none" },
      settings: {
        connectTimeoutMs: 30000,
        timeoutMs: null,
        followRedirects: true,
        maxRedirects: 10,
        verifyTls: true,
        httpVersion: "auto",
        proxy: { kind: "none" },
        proxyLoopback: false,
        resendFilesCrossOrigin: false,
        sseReconnect: "off",
        sseReconnectAttempts: 5,
      },
    });
  });
  it("keeps custom methods", () => {
    const built = buildRequest(state({ method: " purge " }));
    expect("request" in built && built.request.method).toBe("PURGE");
  });
  it("refuses an empty URL and a binary body without a file", () => {
    expect(buildRequest(state({ url: "  " }))).toMatchObject({ error: { code: "InvalidUrl" } });
    const body = { ...emptyBodyDraft(), kind: "binary" as const };
    expect(buildRequest(state({ body }))).toMatchObject({ error: { code: "InvalidRequest" } });
  });
  it("refuses unusable settings", () => {
    const settings = { ...defaultSettingsDraft(), timeoutMs: "soon" };
    expect(buildRequest(state({ settings }))).toMatchObject({ error: { code: "InvalidRequest" } });
  });
});

describe("applyEvent", () => {
  const sending: Extract<Exchange, { kind: "sending" }> = {
    kind: "sending",
    requestId: "r",
    startedAt: 0,
    status: null,
    received: 0,
    expected: null,
    redirects: 0,
  };
  it("tracks head, body progress and redirects", () => {
    let x = applyEvent(sending, {
      event: "head",
      head: { bodyId: "b", url: "u", status: 200, reason: "OK", httpVersion: "HTTP/1.1", headers: [], contentType: null, expected: null, elapsedMs: 1 },
    });
    expect(x.status).toBe(200);
    x = applyEvent(x, { event: "body", received: 1024, expected: 4096, elapsedMs: 2 });
    expect([x.received, x.expected]).toEqual([1024, 4096]);
    x = applyEvent(x, {
      event: "redirect",
      hop: { url: "u", method: "GET", status: 302, location: "/n", nextMethod: "GET", bodyDropped: false, headers: [], elapsedMs: 1 },
    });
    expect([x.redirects, x.status, x.received]).toEqual([1, null, 0]);
  });
});
