/** 8-bit pixels, row after row, with no padding: 1 byte a pixel (grey) or 3 (RGB). */
export interface RasterImage {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const COLOUR_TYPE = { 1: 0, 3: 2 } as const; // PNG: 0 greyscale, 2 truecolour
const FILTER_UP = 2; // each byte minus the one above: scanned pages compress better than unfiltered

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  const typed = out.subarray(4, 8 + data.length);
  typed.set(new TextEncoder().encode(type), 0);
  typed.set(data, 4);
  view.setUint32(8 + data.length, crc32(typed));
  return out;
}

/** Encodes 8-bit greyscale or RGB pixels as a PNG (https://www.w3.org/TR/png-3/). */
export async function encodePng(image: RasterImage): Promise<Uint8Array> {
  // fflate builds its tables at load: imported by the (rare) scanned page, not at start-up.
  const { zlibSync } = await import("fflate");
  const { width, height, channels, pixels } = image;
  const stride = width * channels;
  const filtered = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    filtered[row] = FILTER_UP;
    for (let x = 0; x < stride; x++) {
      const above = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      filtered[row + 1 + x] = (pixels[y * stride + x]! - above) & 0xff;
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, COLOUR_TYPE[channels], 0, 0, 0], 8); // bit depth, colour type, deflate, filters, no interlace
  const parts = [
    new Uint8Array(SIGNATURE),
    chunk("IHDR", header),
    chunk("IDAT", zlibSync(filtered, { level: 6 })),
    chunk("IEND", new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}
