import { describe, expect, it } from "vitest";
import type { Variable } from "../../lib/bindings/Variable";
import {
  draftToSettings,
  environmentNameProblem,
  sameEnvironment,
  sameVariables,
  settingsToDraft,
  variableProblem,
  variablesToSave,
} from "./envEdit";

const v = (name: string, value = "", extra: Partial<Variable> = {}): Variable => ({ name, value, secret: false, enabled: true, ...extra });

describe("variablesToSave", () => {
  it("trims names and drops empty rows, keeping order and flags", () => {
    const out = variablesToSave([v(" base "), v("", ""), v("token", "x", { secret: true, enabled: false })]);
    expect(out).toEqual([v("base"), v("token", "x", { secret: true, enabled: false })]);
  });
});

describe("variableProblem", () => {
  it("accepts a clean table, blank rows included", () => {
    expect(variableProblem([v("a", "1"), v("", ""), v("b")])).toBeNull();
  });
  it("wants a name for a value", () => {
    expect(variableProblem([v("  ", "orphan")])).toMatch(/needs a name/);
  });
  it("rejects duplicates after trimming", () => {
    expect(variableProblem([v("a", "1"), v(" a", "2")])).toBe("“a” is defined twice.");
  });
  it("rejects names templating cannot refer to", () => {
    expect(variableProblem([v("base url", "1")])).toMatch(/no spaces or braces/);
    expect(variableProblem([v("{{x}}", "1")])).toMatch(/no spaces or braces/);
  });
});

describe("environmentNameProblem", () => {
  it("wants a new, non-empty name without slashes", () => {
    expect(environmentNameProblem("  ", [])).toMatch(/name/);
    expect(environmentNameProblem("Local", ["local"])).toMatch(/already/);
    expect(environmentNameProblem("a/b", [])).toMatch(/cannot contain/);
    expect(environmentNameProblem(" staging ", ["local"])).toBeNull();
  });
});

describe("sameVariables / sameEnvironment", () => {
  it("ignores blank rows and name padding but not values or flags", () => {
    expect(sameVariables([v("a", "1")], [v(" a", "1"), v("")])).toBe(true);
    expect(sameVariables([v("a", "1")], [v("a", "2")])).toBe(false);
    expect(sameVariables([v("a", "1")], [v("a", "1", { secret: true })])).toBe(false);
    expect(sameEnvironment({ name: "x", variables: [] }, { name: "y", variables: [] })).toBe(false);
  });
});

describe("settings draft", () => {
  it("round-trips, dropping blank header rows and an empty base URL, keeping client certificates and sequential", () => {
    let n = 0;
    const cert = { host: "*.example.com", certPath: "certs/me.pem", keyPath: "certs/me.key", passphrase: "", enabled: true };
    const d = settingsToDraft(
      {
        baseUrl: null,
        headers: [{ name: "Accept", value: "application/json", enabled: false }],
        auth: { kind: "inherit" },
        variables: [v("a", "1")],
        clientCertificates: [cert],
        sequential: true,
      },
      () => `id${++n}`,
    );
    expect(d.baseUrl).toBe("");
    expect(d.headers).toEqual([{ id: "id1", name: "Accept", value: "application/json", enabled: false }]);
    d.headers.push({ id: "id2", name: "", value: "", enabled: true });
    d.baseUrl = "  http://x  ";
    expect(draftToSettings(d)).toEqual({
      baseUrl: "http://x",
      headers: [{ name: "Accept", value: "application/json", enabled: false }],
      auth: { kind: "inherit" },
      variables: [v("a", "1")],
      clientCertificates: [cert],
      sequential: true,
    });
    d.baseUrl = " ";
    expect(draftToSettings(d).baseUrl).toBeNull();
  });
});
