import { describe, expect, it } from "vitest";

import type { HistoryEntry } from "../../lib/bindings/HistoryEntry";
import type { HistoryRow } from "../../lib/bindings/HistoryRow";
import type { SavedRequest } from "../../lib/bindings/SavedRequest";
import { defaultSettingsDraft, toRequestSettings } from "../composer/settings";
import {
  buildFilter,
  composerFromEntry,
  emptyFilters,
  hostPath,
  mergePage,
  nextCursor,
  relativeTime,
  reopenEntry,
  responseFromEntry,
  secretsNotKept,
  statusLabel,
  statusTone,
} from "./history";

const row = (id: number, extra: Partial<HistoryRow> = {}): HistoryRow => ({
  id,
  atMs: id * 1000,
  method: "GET",
  url: `http://h/${id}`,
  status: 200,
  durationMs: 1,
  bodySize: 0,
  errorCode: null,
  tokenExchange: false,
  ...extra,
});

function entry(extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 7,
    atMs: 0,
    source: "app",
    collection: null,
    method: "POST",
    url: "http://127.0.0.1:8000/echo?a=1&b=two",
    host: "127.0.0.1",
    requestHeaders: [],
    requestBody: null,
    written: null,
    status: 201,
    responseHeaders: [{ name: "content-type", value: "application/json" }],
    responseBodyText: '{"ok":true}',
    responseId: null,
    bodySize: 11,
    durationMs: 12.5,
    timings: null,
    errorCode: null,
    errorMessage: null,
    ...extra,
  };
}

let ids = 0;
const newId = () => `id${++ids}`;

describe("buildFilter", () => {
  it("drops blank fields and normalises method, host and status class", () => {
    expect(buildFilter(emptyFilters())).toEqual({
      beforeId: null,
      limit: 100,
      method: null,
      statusClass: null,
      host: null,
      collection: null,
      text: null,
    });
    const f = buildFilter({ text: "  pineapple ", method: "post", status: "4", host: " API.Example.com " }, 42, 10);
    expect(f).toMatchObject({ beforeId: 42, limit: 10, method: "POST", statusClass: 4, host: "api.example.com", text: "pineapple" });
    expect(buildFilter({ ...emptyFilters(), status: "0" }).statusClass).toBe(0);
    expect(buildFilter({ ...emptyFilters(), status: "9" }).statusClass).toBeNull();
  });
});

describe("mergePage", () => {
  it("appends older rows, drops duplicates and says when the end is reached", () => {
    const first = mergePage([], [row(5), row(4), row(3)], 3);
    expect(first.done).toBe(false);
    expect(nextCursor(first.rows)).toBe(3);
    const second = mergePage(first.rows, [row(3), row(2)], 3);
    expect(second.rows.map((r) => r.id)).toEqual([5, 4, 3, 2]);
    expect(second.done).toBe(true);
    expect(nextCursor([])).toBeNull();
  });
});

describe("relativeTime", () => {
  const now = Date.UTC(2024, 5, 15, 12, 0, 0);
  it("reads like a person would say it", () => {
    expect(relativeTime(now - 2000, now)).toBe("just now");
    expect(relativeTime(now - 42_000, now)).toBe("42s ago");
    expect(relativeTime(now - 5 * 60_000, now)).toBe("5m ago");
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe("3h ago");
    expect(relativeTime(now - 30 * 3_600_000, now)).toBe("yesterday");
    expect(relativeTime(now - 4 * 86_400_000, now)).toBe("4d ago");
    expect(relativeTime(now - 40 * 86_400_000, now)).not.toMatch(/ago/);
  });
});

describe("rows", () => {
  it("show host and path, and the error code when there was no response", () => {
    expect(hostPath("http://127.0.0.1:8000/items?x=1")).toBe("127.0.0.1:8000/items?x=1");
    expect(hostPath("https://example.com/")).toBe("example.com");
    expect(hostPath("not a url")).toBe("not a url");
    expect(statusLabel(row(1, { status: null, errorCode: "Connect" }))).toBe("Connect");
    expect(statusTone(row(1, { status: null, errorCode: "Connect" }))).toBe("failed");
    expect(statusTone(row(1, { status: 404 }))).toBe("client");
    expect(statusLabel(row(1, { status: 503 }))).toBe("503");
  });
});

describe("composerFromEntry", () => {
  it("rebuilds params, headers and a JSON body without repeating its Content-Type", () => {
    const c = composerFromEntry(
      entry({
        requestHeaders: [
          { name: "Authorization", value: "Bearer •••" },
          { name: "Content-Type", value: "application/json" },
        ],
        requestBody: '{"word":"zanzibar"}',
      }),
      newId,
    );
    expect(c.method).toBe("POST");
    expect(c.url).toBe("http://127.0.0.1:8000/echo?a=1&b=two");
    expect(c.params.map((p) => [p.name, p.value])).toEqual([
      ["a", "1"],
      ["b", "two"],
    ]);
    expect(c.headers.map((h) => h.name)).toEqual(["Authorization"]);
    expect(c.body.kind).toBe("json");
    expect(c.body.json).toBe('{"word":"zanzibar"}');
  });

  it("reads form and text bodies by their Content-Type", () => {
    const form = composerFromEntry(
      entry({ requestHeaders: [{ name: "Content-Type", value: "application/x-www-form-urlencoded" }], requestBody: "q=a+b&x=%26" }),
      newId,
    );
    expect(form.body.kind).toBe("form");
    expect(form.body.form.map((f) => [f.name, f.value])).toEqual([
      ["q", "a b"],
      ["x", "&"],
    ]);
    const text = composerFromEntry(entry({ requestHeaders: [{ name: "Content-Type", value: "text/csv" }], requestBody: "a,b" }), newId);
    expect(text.body.kind).toBe("text");
    expect(text.body.text).toEqual({ contentType: "text/csv", text: "a,b" });
    expect(text.headers).toEqual([]);
    expect(composerFromEntry(entry(), newId).body.kind).toBe("none");
  });
});

describe("responseFromEntry", () => {
  it("uses the stored body when its file exists, else the recorded text", () => {
    const gone = responseFromEntry(entry());
    expect(gone.recordedText).toBe('{"ok":true}');
    expect(gone.response.status).toBe(201);
    expect(gone.response.body.contentType).toBe("application/json");
    expect(gone.response.timings.totalMs).toBe(12.5);
    const live = responseFromEntry(entry({ responseId: "abc", bodySize: 99 }));
    expect(live.recordedText).toBeNull();
    expect(live.response.id).toBe("abc");
    expect(live.response.body.size).toBe(99);
    const failed = responseFromEntry(entry({ status: 200, errorCode: "BodyRead", errorMessage: "reset" }));
    expect(failed.response.error).toEqual({ code: "BodyRead", message: "reset" });
  });
});

describe("reopenEntry", () => {
  const written: SavedRequest = {
    name: "Me",
    request: {
      method: "GET",
      url: "{{baseUrl}}/me",
      query: [],
      headers: [{ name: "Authorization", value: "Bearer {{token}}", enabled: true }],
      body: { kind: "none" },
      settings: toRequestSettings(defaultSettingsDraft()),
    },
    auth: { kind: "inherit" },
    variables: [],
    captures: [],
    docs: "",
  };

  it("opens the request as written, with where it was sent from", () => {
    const r = reopenEntry(entry({ requestHeaders: [{ name: "Authorization", value: "Bearer •••" }], written: { saved: written, path: "Demo/me.yaml", environment: "local" } }), newId);
    expect(r.composer.url).toBe("{{baseUrl}}/me");
    expect(r.composer.headers.map((h) => h.value)).toEqual(["Bearer {{token}}"]);
    expect(r.parts.auth).toEqual({ kind: "inherit" });
    expect(r.origin).toBe("Demo/me.yaml");
    expect(secretsNotKept(written)).toEqual([]);
  });

  it("falls back to the masked as-sent copy for entries recorded before", () => {
    const r = reopenEntry(entry({ requestHeaders: [{ name: "Authorization", value: "Bearer •••" }] }), newId);
    expect(r.composer.headers.map((h) => h.value)).toEqual(["Bearer •••"]);
    expect(r.origin).toBeNull();
  });

  it("names every field that still holds a secret not kept", () => {
    const masked: SavedRequest = {
      ...written,
      request: {
        ...written.request,
        url: "http://h/x",
        query: [{ name: "api_key", value: "•••", enabled: true }],
        headers: [
          { name: "Authorization", value: "Bearer •••", enabled: true },
          { name: "X-Off", value: "•••", enabled: false },
        ],
        body: { kind: "form", fields: [{ name: "password", value: "•••", enabled: true }] },
      },
      auth: { kind: "basic", username: "ann", password: "•••" },
      variables: [{ name: "pin", value: "•••", secret: true, enabled: true }],
    };
    expect(secretsNotKept(masked)).toEqual([
      "Basic auth password",
      "parameter api_key",
      "header Authorization",
      "form field password",
      "variable pin",
    ]);
  });

  it("names the Digest password and AWS secrets not kept", () => {
    expect(secretsNotKept({ ...written, auth: { kind: "digest", username: "ann", password: "•••", algorithm: "auto" } })).toEqual(["Digest password"]);
    const aws: SavedRequest = {
      ...written,
      auth: { kind: "awsSigV4", accessKey: "AKID", secretKey: "•••", sessionToken: "•••", region: "eu-west-1", service: "s3" },
    };
    expect(secretsNotKept(aws)).toEqual(["AWS secret key", "AWS session token"]);
  });
});
