import { describe, expect, it } from "vitest";

import { qrSvg, QUIET_ZONE } from "./qr";

/** The cells `d` paints, read back from its `M x y h w v1 h-w z` runs. */
function painted(d: string, size: number): string[] {
  const grid = Array.from({ length: size }, () => Array<string>(size).fill("0"));
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, w, back] = m.slice(1).map(Number);
    expect(back).toBe(w);
    for (let i = 0; i < w; i++) grid[y][x + i] = "1";
  }
  expect(d.replace(/M\d+ \d+h\d+v1h-\d+z/g, "")).toBe("");
  return grid.map((r) => r.join(""));
}

describe("QR code SVG", () => {
  it("paints exactly the dark modules, inside a quiet zone", () => {
    const rows = ["110", "011", "101"];
    const svg = qrSvg(rows, 2)!;
    expect(svg.size).toBe(7);
    expect(painted(svg.d, 7)).toEqual(["0000000", "0000000", "0011000", "0001100", "0010100", "0000000", "0000000"]);
  });

  it("joins a row's run of dark modules into one rectangle", () => {
    const svg = qrSvg(["1111", "0000", "1001", "0110"], 0)!;
    expect(svg.d).toBe("M0 0h4v1h-4zM0 2h1v1h-1zM3 2h1v1h-1zM1 3h2v1h-2z");
  });

  it("leaves four modules of quiet zone by default", () => {
    const svg = qrSvg(["1"])!;
    expect(QUIET_ZONE).toBe(4);
    expect(svg).toEqual({ size: 9, d: "M4 4h1v1h-1z" });
  });

  it("gives nothing for no code or a matrix that is not square", () => {
    expect(qrSvg([])).toBeNull();
    expect(qrSvg(["10", "1"])).toBeNull();
    expect(qrSvg(["101", "010"])).toBeNull();
  });
});
