// Draws the device grant's QR code (rows of '1'/'0' modules from the shell) as one SVG path:
// a rectangle per horizontal run of dark modules, offset by the quiet zone scanners need.
// Built from data rather than an image so the CSP and the network stay out of it.

/** The quiet zone QR readers expect around the symbol, in modules (ISO/IEC 18004). */
export const QUIET_ZONE = 4;

export interface QrSvg {
  /** Width and height of the view box, quiet zone included, in modules. */
  size: number;
  /** Path data covering exactly the dark modules. */
  d: string;
}

/** The SVG for `rows`, or null when there is no code or the matrix is not square. */
export function qrSvg(rows: readonly string[], quiet = QUIET_ZONE): QrSvg | null {
  const n = rows.length;
  if (n === 0 || rows.some((r) => r.length !== n)) return null;
  const parts: string[] = [];
  rows.forEach((row, y) => {
    let x = 0;
    while (x < n) {
      if (row[x] !== "1") {
        x += 1;
        continue;
      }
      const start = x;
      while (x < n && row[x] === "1") x += 1;
      const run = x - start;
      parts.push(`M${start + quiet} ${y + quiet}h${run}v1h-${run}z`);
    }
  });
  return { size: n + 2 * quiet, d: parts.join("") };
}
