import { describe, expect, it } from "vitest";

import { COPY_LIMIT } from "../../lib/clipboard";
import { copyRefusal, suggestedFileName } from "./bodytext";

describe("copyRefusal", () => {
  it("lets a body up to the copy budget through and refuses a bigger one with TooLarge", () => {
    expect(copyRefusal(COPY_LIMIT)).toBeNull();
    const refusal = copyRefusal(COPY_LIMIT + 1);
    expect(refusal?.code).toBe("TooLarge");
    expect(refusal?.message).toContain("Save to file");
  });
});

describe("suggestedFileName", () => {
  it("names the file after the URL's last segment and the content type", () => {
    expect(suggestedFileName("http://h/api/items/42", "application/json; charset=utf-8")).toBe("42.json");
    expect(suggestedFileName("http://h/export", "text/csv")).toBe("export.csv");
    expect(suggestedFileName("http://h/files/report.pdf", "application/pdf")).toBe("report.pdf");
    expect(suggestedFileName("http://h/", null)).toBe("response.bin");
    expect(suggestedFileName("not a url", "text/plain")).toBe("response.txt");
    expect(suggestedFileName("http://h/a%20b", "image/png")).toBe("a_b.png");
  });
});
