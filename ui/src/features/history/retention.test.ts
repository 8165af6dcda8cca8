import { describe, expect, it } from "vitest";
import { prunedMessage, retentionFromInputs } from "./retention";

describe("retentionFromInputs", () => {
  it("converts days and megabytes, leaving unset limits null", () => {
    expect(retentionFromInputs({ entries: "", days: " 30 ", megabytes: "2" })).toEqual({
      retention: { maxEntries: null, maxAgeMs: 30 * 86_400_000, maxTotalBodyBytes: 2 * 1024 * 1024 },
    });
    expect(retentionFromInputs({ entries: "500", days: "", megabytes: "" })).toEqual({
      retention: { maxEntries: 500, maxAgeMs: null, maxTotalBodyBytes: null },
    });
  });
  it("refuses no limit at all", () => {
    expect(retentionFromInputs({ entries: " ", days: "", megabytes: "" })).toEqual({ error: "Set at least one limit." });
  });
  it("refuses zero, negatives, fractions and words", () => {
    for (const bad of ["0", "-3", "1.5", "ten"]) {
      const r = retentionFromInputs({ entries: bad, days: "", megabytes: "" });
      expect("error" in r && r.error).toMatch(/whole number above 0/);
    }
  });
});

describe("prunedMessage", () => {
  it("counts entries", () => {
    expect(prunedMessage(1)).toBe("Deleted 1 entry");
    expect(prunedMessage(12)).toBe("Deleted 12 entries");
    expect(prunedMessage(0)).toMatch(/Nothing to delete/);
  });
});
