import type { PDFPageProxy } from "unpdf/pdfjs";
import { encodePng, type RasterImage } from "./png";

/** A page's picture as a PNG, for a vision model to read. */
export interface PageImage {
  png: Uint8Array;
  width: number;
  height: number;
}

/**
 * Larger pictures are shrunk to this longest side: OpenAI's vision models fit an image into
 * 2048×2048 before reading it, so more pixels cost memory and upload without helping.
 */
export const MAX_IMAGE_SIDE = 2048;

/**
 * pdf.js decodes no image over this many pixels (getDocument's `maxImageSize`): a decoded RGB
 * picture takes 3 bytes a pixel, so a 12-megapixel scan (300 dpi A4 or Letter, and then some)
 * holds 36 MB, well within a Worker's 128 MB beside the PDF itself. Larger scans are not imaged.
 */
export const MAX_DECODED_PIXELS = 12_000_000;

// A scan is painted over most of its page; a logo or a figure beside a caption is not.
const MIN_PAGE_COVERAGE = 0.5;

// pdf.js' ImageKind: 1-bit greyscale (rows padded to a byte, 1 is white), RGB, RGBA.
const GRAYSCALE_1BPP = 1;
const RGB_24BPP = 2;
const RGBA_32BPP = 3;

/** The decoded picture pdf.js hands over for an image operator. */
interface PdfImageData {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/** The operator numbers this module reads (pdf.js' `OPS`). */
export interface PdfOps {
  save: number;
  restore: number;
  transform: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
  paintImageXObject: number;
  paintInlineImageXObject: number;
}

type Matrix = [number, number, number, number, number, number];

const multiply = (m: Matrix, n: Matrix): Matrix => [
  n[0] * m[0] + n[1] * m[2],
  n[0] * m[1] + n[1] * m[3],
  n[2] * m[0] + n[3] * m[2],
  n[2] * m[1] + n[3] * m[3],
  n[4] * m[0] + n[5] * m[2] + m[4],
  n[4] * m[1] + n[5] * m[3] + m[5],
];

/** An image operator and the share of the page its unit square covers under the current matrix. */
interface PaintedImage {
  /** The object id (paintImageXObject) or the inline picture itself (paintInlineImageXObject). */
  source: string | PdfImageData;
  coverage: number;
}

/** Walks the operator list, following the current transformation matrix through saves and forms. */
function paintedImages(page: PDFPageProxy, ops: PdfOps, list: { fnArray: number[]; argsArray: unknown[][] }) {
  const [x0, y0, x1, y1] = page.view as [number, number, number, number];
  const pageArea = Math.abs((x1 - x0) * (y1 - y0)) || 1;
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const images: PaintedImage[] = [];
  for (let i = 0; i < list.fnArray.length; i++) {
    const op = list.fnArray[i];
    const args = list.argsArray[i] ?? [];
    if (op === ops.save) stack.push(ctm);
    else if (op === ops.restore) ctm = stack.pop() ?? ctm;
    else if (op === ops.transform) ctm = multiply(ctm, args as Matrix);
    else if (op === ops.paintFormXObjectBegin) {
      stack.push(ctm);
      const matrix = args[0] as Matrix | null;
      if (matrix) ctm = multiply(ctm, matrix);
    } else if (op === ops.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (op === ops.paintImageXObject || op === ops.paintInlineImageXObject) {
      const coverage = Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]) / pageArea;
      images.push({ source: args[0] as string | PdfImageData, coverage });
    }
  }
  return images;
}

function objectData(page: PDFPageProxy, id: string): Promise<PdfImageData | null> {
  // Images shared between pages are "g_"-prefixed and live in the document's common objects.
  const objects = id.startsWith("g_") ? page.commonObjs : page.objs;
  return new Promise((resolve) => objects.get(id, resolve));
}

/**
 * The picture of a scanned page: the one image painted over at least half of it, decoded by
 * pdf.js and encoded as a PNG no larger than MAX_IMAGE_SIDE. Undefined when the page is not one
 * picture (vector drawings, several images, nothing) or its picture was too large to decode.
 * Pages whose text was drawn as glyphs cannot be imaged: that takes a canvas, which Workers lack.
 */
export async function scannedPageImage(page: PDFPageProxy, ops: PdfOps): Promise<PageImage | undefined> {
  const list = await page.getOperatorList();
  const scans = paintedImages(page, ops, list).filter((image) => image.coverage >= MIN_PAGE_COVERAGE);
  if (scans.length !== 1) return undefined;
  const { source } = scans[0]!;
  const data = typeof source === "string" ? await objectData(page, source) : source;
  const raster = data ? toRaster(data) : undefined;
  if (!raster) return undefined;
  return { png: await encodePng(raster), width: raster.width, height: raster.height };
}

/** Reads one pixel of a decoded pdf.js picture into `out` (grey, or red, green, blue). */
type PixelReader = (x: number, y: number, out: Float64Array) => void;

function pixelReader(image: PdfImageData): { channels: 1 | 3; read: PixelReader } | undefined {
  const { width, height, kind, data } = image;
  if (!data || width <= 0 || height <= 0) return undefined;
  if (kind === GRAYSCALE_1BPP) {
    const rowBytes = Math.ceil(width / 8);
    if (data.length < rowBytes * height) return undefined;
    return {
      channels: 1,
      read: (x, y, out) => {
        out[0] = (data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
      },
    };
  }
  if (kind === RGB_24BPP && data.length >= width * height * 3) {
    return {
      channels: 3,
      read: (x, y, out) => {
        const at = (y * width + x) * 3;
        out[0] = data[at]!;
        out[1] = data[at + 1]!;
        out[2] = data[at + 2]!;
      },
    };
  }
  if (kind === RGBA_32BPP && data.length >= width * height * 4) {
    return {
      channels: 3,
      // Transparent parts of a picture show the white page beneath.
      read: (x, y, out) => {
        const at = (y * width + x) * 4;
        const alpha = data[at + 3]! / 255;
        for (let c = 0; c < 3; c++) out[c] = data[at + c]! * alpha + 255 * (1 - alpha);
      },
    };
  }
  return undefined;
}

/** The picture as 8-bit pixels, averaged down by area to fit MAX_IMAGE_SIDE. */
function toRaster(image: PdfImageData): RasterImage | undefined {
  const reader = pixelReader(image);
  if (!reader) return undefined;
  const { width, height } = image;
  const { channels, read } = reader;
  const scale = Math.max(1, Math.max(width, height) / MAX_IMAGE_SIDE);
  const outWidth = Math.max(1, Math.round(width / scale));
  const outHeight = Math.max(1, Math.round(height / scale));
  const pixels = new Uint8Array(outWidth * outHeight * channels);
  const pixel = new Float64Array(3);
  const sum = new Float64Array(3);
  for (let oy = 0; oy < outHeight; oy++) {
    const yStart = Math.floor((oy * height) / outHeight);
    const yEnd = Math.max(yStart + 1, Math.floor(((oy + 1) * height) / outHeight));
    for (let ox = 0; ox < outWidth; ox++) {
      const xStart = Math.floor((ox * width) / outWidth);
      const xEnd = Math.max(xStart + 1, Math.floor(((ox + 1) * width) / outWidth));
      sum.fill(0);
      for (let y = yStart; y < yEnd; y++) {
        for (let x = xStart; x < xEnd; x++) {
          read(x, y, pixel);
          for (let c = 0; c < channels; c++) sum[c]! += pixel[c]!;
        }
      }
      const count = (yEnd - yStart) * (xEnd - xStart);
      const at = (oy * outWidth + ox) * channels;
      for (let c = 0; c < channels; c++) pixels[at + c] = Math.round(sum[c]! / count);
    }
  }
  return { width: outWidth, height: outHeight, channels, pixels };
}
