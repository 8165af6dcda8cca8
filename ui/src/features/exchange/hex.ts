// Hex dump rows: offset, 16 bytes in hex, and their printable ASCII.

export const HEX_ROW_BYTES = 16;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export interface HexRow {
  offset: string;
  hex: string;
  ascii: string;
}

/** Row `row` of `bytes`, whose first byte sits at `baseOffset` in the body. */
export function hexRow(bytes: Uint8Array, row: number, baseOffset = 0): HexRow {
  const start = row * HEX_ROW_BYTES;
  const end = Math.min(start + HEX_ROW_BYTES, bytes.length);
  let hex = "";
  let ascii = "";
  for (let i = start; i < start + HEX_ROW_BYTES; i++) {
    if (i > start) hex += i - start === 8 ? "  " : " ";
    if (i < end) {
      const b = bytes[i];
      hex += HEX[b];
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
    } else {
      hex += "  ";
    }
  }
  return { offset: (baseOffset + start).toString(16).padStart(8, "0"), hex, ascii };
}

export function hexRowCount(byteLength: number): number {
  return Math.ceil(byteLength / HEX_ROW_BYTES);
}
