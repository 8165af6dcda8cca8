import { describe, expect, it } from "vitest";
import { authBadge, enabledCount } from "./badges";

const row = (name: string, value: string, enabled = true) => ({ id: name + value, name, value, enabled });

describe("enabledCount", () => {
  it("counts enabled rows with a name or a value", () => {
    expect(enabledCount([row("a", "1"), row("", "v"), row("off", "1", false), row("", "")])).toBe(2);
  });
});

describe("authBadge", () => {
  it("names the kind, and nothing while inherited", () => {
    expect(authBadge("inherit")).toBeNull();
    expect(authBadge("awsSigV4")).toBe("AWS");
    expect(authBadge("oauth2")).toBe("OAuth");
  });
});
