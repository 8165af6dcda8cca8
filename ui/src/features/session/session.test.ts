import { describe, expect, it } from "vitest";

import type { Draft } from "../../lib/bindings/Draft";
import type { HttpResponse } from "../../lib/bindings/HttpResponse";
import type { Session } from "../../lib/bindings/Session";
import { emptySaved } from "../composer/composer";
import { restorePlan, sessionOf } from "./session";

const response = { id: "body-1", status: 200 } as HttpResponse;

function draft(key: string, path: string | null = null): Draft {
  return { key, path, baseRevision: null, saved: emptySaved(key), updatedMs: 0 };
}

function session(tabs: Array<[string, string | null]>, active: string | null): Session {
  return { version: 1, workspace: "", tabs: tabs.map(([key, path]) => ({ key, path, response: null })), active };
}

describe("sessionOf", () => {
  it("keeps order, files, the active tab and each tab's response", () => {
    const s = sessionOf(
      [
        { key: "a", path: "c/a.yaml" },
        { key: "b", path: null },
      ],
      "a",
      (key) => (key === "a" ? response : null),
    );
    expect(s.tabs).toEqual([
      { key: "a", path: "c/a.yaml", response },
      { key: "b", path: null, response: null },
    ]);
    expect(s.active).toBe("a");
  });

  it("names no active tab that is not open", () => {
    expect(sessionOf([{ key: "a", path: null }], "gone", () => null).active).toBeNull();
  });
});

describe("restorePlan", () => {
  it("restores the session's tabs in order, each from its draft, its file or blank", () => {
    const s = session(
      [
        ["saved", "c/a.yaml"],
        ["typed", null],
        ["blank", null],
        ["edited", "c/b.yaml"],
      ],
      "saved",
    );
    s.tabs[0].response = response;
    const plan = restorePlan(s, [draft("edited", "c/b.yaml"), draft("typed")]);
    expect(plan.steps.map((st) => [st.kind, st.kind === "draft" ? st.draft.key : st.key])).toEqual([
      ["file", "saved"],
      ["draft", "typed"],
      ["blank", "blank"],
      ["draft", "edited"],
    ]);
    expect(plan.steps[0].response).toBe(response);
    expect(plan.active).toBe("saved");
  });

  it("without a session, brings every draft back as before", () => {
    const plan = restorePlan(null, [draft("x"), draft("y", "c/y.yaml")]);
    expect(plan.steps.map((st) => st.kind)).toEqual(["draft", "draft"]);
    expect(plan.active).toBeNull();
  });

  it("appends drafts the session does not name, and names a repeated key once", () => {
    const plan = restorePlan(
      session(
        [
          ["a", null],
          ["a", null],
        ],
        null,
      ),
      [draft("orphan")],
    );
    expect(plan.steps.map((st) => (st.kind === "draft" ? st.draft.key : st.key))).toEqual(["a", "orphan"]);
  });
});
