import { describe, expect, it } from "vitest";
import { describeError, normaliseError } from "./errors";

describe("normaliseError", () => {
  it("passes an ApiError through", () => {
    expect(normaliseError({ code: "Connect", message: "refused" })).toEqual({ code: "Connect", message: "refused" });
  });
  it("keeps codes this build does not know", () => {
    expect(normaliseError({ code: "SomethingNew", message: "later code" })).toEqual({ code: "SomethingNew", message: "later code" });
  });
  it("turns a string into Internal", () => {
    expect(normaliseError("command send_request not found")).toEqual({
      code: "Internal",
      message: "command send_request not found",
    });
  });
  it("reads a JSON-encoded ApiError string", () => {
    expect(normaliseError('{"code":"Dns","message":"no such host"}')).toEqual({ code: "Dns", message: "no such host" });
  });
  it("turns Errors and odd shapes into Internal", () => {
    expect(normaliseError(new TypeError("boom"))).toEqual({ code: "Internal", message: "boom" });
    expect(normaliseError(undefined)).toEqual({ code: "Internal", message: "Unknown error" });
    expect(normaliseError({ message: "m" })).toEqual({ code: "Internal", message: "m" });
    expect(normaliseError(42)).toEqual({ code: "Internal", message: "42" });
    expect(normaliseError({ code: 5 })).toMatchObject({ code: "Internal" });
  });
});

describe("describeError", () => {
  it("explains a refused body file instead of calling it an internal error", () => {
    const about = describeError("FileNotAllowed");
    expect(about.title).not.toBe(describeError("Internal").title);
    expect(about.hint).toMatch(/workspace/);
  });
});
