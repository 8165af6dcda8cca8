// The big-JSON pretty reader's paging, against an in-memory pretty text served the way the
// backend's `read_pretty_body` serves it: windows that end at a line end, with the whole length.
import { describe, expect, it } from "vitest";
import type { ApiError } from "../../lib/bindings/ApiError";
import type { PrettyWindow } from "../../lib/bindings/PrettyWindow";
import { MAX_READ_WINDOW } from "./api";
import { FIRST_PRETTY_WINDOW } from "./json";
import { PrettyReader } from "./prettyReader.svelte";

/** About 3 MB of pretty JSON, ASCII only (so bytes and characters count the same). */
function bigPretty(): string {
  const items = Array.from({ length: 30_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ["a", "b"] }));
  return JSON.stringify({ items }, null, 2);
}

/** Serves `text` in windows of at most `length` bytes, cut after the last newline inside. */
function served(text: string) {
  const reads: [number, number][] = [];
  const read = async (offset: number, length: number): Promise<PrettyWindow> => {
    reads.push([offset, length]);
    const slice = text.slice(offset, offset + length);
    const cut = offset + length >= text.length ? slice.length : slice.lastIndexOf("\n") + 1 || slice.length;
    return { text: slice.slice(0, cut), offset, end: offset + cut, total: text.length };
  };
  return { read, reads };
}

function reporter() {
  const reported: (ApiError | null)[] = [];
  return { reported, report: (e: ApiError | null) => void reported.push(e) };
}

describe("PrettyReader", () => {
  it("draws the first window alone, then pages in more and loads the rest", async () => {
    const pretty = bigPretty();
    const backend = served(pretty);
    const { report } = reporter();
    const reader = new PrettyReader(backend.read, report);

    await reader.load();
    expect(backend.reads).toEqual([[0, FIRST_PRETTY_WINDOW]]);
    expect(reader.text).not.toBeNull();
    expect(reader.text!.length).toBeLessThanOrEqual(FIRST_PRETTY_WINDOW);
    expect(reader.text!.endsWith("\n")).toBe(true);
    expect(pretty.startsWith(reader.text!)).toBe(true);
    expect(reader.end).toBe(reader.text!.length);
    expect(reader.total).toBe(pretty.length);
    expect(reader.remaining).toBe(pretty.length - reader.end);
    expect(reader.loading).toBe(false);

    const before = reader.end;
    await reader.load(MAX_READ_WINDOW);
    expect(reader.end).toBeGreaterThan(before);
    expect(reader.end - before).toBeLessThanOrEqual(MAX_READ_WINDOW);
    expect(reader.text).toBe(pretty.slice(0, reader.end));

    await reader.load(reader.remaining);
    expect(reader.text).toBe(pretty);
    expect(reader.remaining).toBe(0);

    const reads = backend.reads.length;
    await reader.load(MAX_READ_WINDOW);
    expect(backend.reads.length).toBe(reads);
  });

  it("falls back to the raw text when the backend cannot pretty-print, and reads no more", async () => {
    let reads = 0;
    const { reported, report } = reporter();
    const reader = new PrettyReader(async () => {
      reads++;
      throw { code: "InvalidFile", message: "expected value at line 1" } satisfies ApiError;
    }, report);

    await reader.load();
    expect(reader.text).toBeNull();
    expect(reader.fallback).toBe("Not valid JSON; showing the raw text.");
    expect(reported).toEqual([null]);

    await reader.load(MAX_READ_WINDOW);
    expect(reads).toBe(1);
  });

  it("a later window's failure is reported and the text so far stays", async () => {
    const pretty = bigPretty();
    const backend = served(pretty);
    let fail = false;
    const { reported, report } = reporter();
    const reader = new PrettyReader(async (offset, length) => {
      if (fail) throw { code: "Io", message: "the body file went away" } as ApiError;
      return backend.read(offset, length);
    }, report);

    await reader.load();
    const shown = reader.text;
    fail = true;
    await reader.load(MAX_READ_WINDOW);
    expect(reader.text).toBe(shown);
    expect(reader.fallback).toBeNull();
    expect(reported.at(-1)).toEqual({ code: "Io", message: "the body file went away" });

    fail = false;
    await reader.load(reader.remaining);
    expect(reported.at(-1)).toBeNull();
    expect(reader.text).toBe(pretty);
  });

  it("a window that brings nothing new ends the load instead of asking again", async () => {
    let reads = 0;
    const reader = new PrettyReader(
      async (offset) => {
        reads++;
        return { text: offset === 0 ? "{\n" : "", offset, end: offset === 0 ? 2 : offset, total: 100 };
      },
      () => {},
    );
    await reader.load();
    await reader.load(1000);
    expect(reads).toBe(2);
    expect(reader.text).toBe("{\n");
    expect(reader.remaining).toBe(98);
    expect(reader.loading).toBe(false);
  });

  it("after stop, a window that arrives is not shown", async () => {
    let release: (w: PrettyWindow) => void = () => {};
    const reader = new PrettyReader(() => new Promise<PrettyWindow>((r) => (release = r)), () => {});
    const loading = reader.load();
    reader.stop();
    release({ text: "{\n", offset: 0, end: 2, total: 2 });
    await loading;
    expect(reader.text).toBeNull();
  });
});
