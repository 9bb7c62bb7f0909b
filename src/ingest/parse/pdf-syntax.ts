// PDF objects as bytes: the lexer and writer the page-part reader (pdf-part.ts) copies objects
// with. Values keep their source text (numbers, names, strings, keywords stay byte for byte as
// written), so that an object copied into a part is the original's, references renumbered.
import { ParseError } from "./types";

/** A reference to an indirect object (`12 0 R`). */
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A dictionary; its keys are names without their slash. */
export class PdfDict {
  constructor(readonly entries: Map<string, PdfValue> = new Map()) {}
  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
}

/**
 * A value: an atom as written (a number, `/Name`, `(string)`, `<hex>`, `true`, `null`), a
 * reference, an array or a dictionary.
 */
export type PdfValue = string | PdfRef | PdfValue[] | PdfDict;

/** Arrays and dictionaries nested deeper than this are an attack on recursive parsers (as in pdf-structure.ts). */
export const MAX_VALUE_DEPTH = 256;

/** A file this reader does not handle (encrypted, a cross-reference it cannot follow): another path may. */
export class UnsupportedPdf extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedPdf";
  }
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const isRegular = (byte: number) => !WHITESPACE.has(byte) && !DELIMITERS.has(byte);

/** Latin-1 text of `bytes[from, to)`: each byte one character, so that writing it back gives the bytes. */
export function latin1(bytes: Uint8Array, from = 0, to = bytes.length): string {
  let text = "";
  for (let at = from; at < to; at += 8192) {
    // `apply` takes the typed array as it is; a spread (`...`) walks it through its iterator, 6× slower.
    text += String.fromCharCode.apply(
      null,
      bytes.subarray(at, Math.min(to, at + 8192)) as unknown as number[],
    );
  }
  return text;
}

/** The bytes of a Latin-1 string (every character below 256). */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A lexer over a buffer: values, and the keywords around them (`obj`, `stream`, `R`). */
export class PdfLexer {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}

  skipSpace(): void {
    const { bytes } = this;
    while (this.pos < bytes.length) {
      const byte = bytes[this.pos]!;
      if (WHITESPACE.has(byte)) this.pos++;
      else if (byte === 0x25 /* % */) {
        while (this.pos < bytes.length && bytes[this.pos] !== 0x0a && bytes[this.pos] !== 0x0d) this.pos++;
      } else return;
    }
  }

  /** The next token as written, or undefined at the end of the buffer. */
  token(): string | undefined {
    this.skipSpace();
    const { bytes } = this;
    const start = this.pos;
    if (start >= bytes.length) return undefined;
    const byte = bytes[start]!;
    if (byte === 0x28 /* ( */) {
      let depth = 0;
      while (this.pos < bytes.length) {
        const c = bytes[this.pos++]!;
        if (c === 0x5c /* \ */) this.pos++;
        else if (c === 0x28) depth++;
        else if (c === 0x29 && --depth === 0) return latin1(bytes, start, this.pos);
      }
      throw new UnsupportedPdf("a string runs past the end of its object");
    }
    if (byte === 0x3c /* < */ || byte === 0x3e /* > */) {
      if (bytes[start + 1] === byte) {
        this.pos += 2;
        return byte === 0x3c ? "<<" : ">>";
      }
      if (byte === 0x3e) {
        this.pos++;
        return ">";
      }
      const end = bytes.indexOf(0x3e, start);
      if (end < 0) throw new UnsupportedPdf("a hex string runs past the end of its object");
      this.pos = end + 1;
      return latin1(bytes, start, this.pos);
    }
    if (byte === 0x5b || byte === 0x5d || byte === 0x7b || byte === 0x7d) {
      this.pos++;
      return String.fromCharCode(byte);
    }
    this.pos++; // a name's slash, or the first regular character
    while (this.pos < bytes.length && isRegular(bytes[this.pos]!)) this.pos++;
    return latin1(bytes, start, this.pos);
  }

  /** The next value (references folded from `n g R`), or undefined at the end of the buffer. */
  value(depth = 0): PdfValue | undefined {
    if (depth > MAX_VALUE_DEPTH) {
      throw new ParseError(
        "hostile",
        "the PDF nests its objects pathologically deep and was refused for safety",
      );
    }
    const token = this.token();
    if (token === undefined) return undefined;
    if (token === "[") {
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.bytes[this.pos] === 0x5d) {
          this.pos++;
          return items;
        }
        const item = this.value(depth + 1);
        if (item === undefined) throw new UnsupportedPdf("an array runs past the end of its object");
        items.push(item);
      }
    }
    if (token === "<<") {
      const dict = new PdfDict();
      for (;;) {
        const key = this.token();
        if (key === ">>") return dict;
        if (key === undefined) throw new UnsupportedPdf("a dictionary runs past the end of its object");
        if (!key.startsWith("/")) continue; // pdf.js skips what is not a key as well
        this.skipSpace();
        if (this.bytes[this.pos] === 0x3e && this.bytes[this.pos + 1] === 0x3e) {
          continue; // a key without a value
        }
        const item = this.value(depth + 1);
        if (item === undefined) throw new UnsupportedPdf("a dictionary runs past the end of its object");
        dict.entries.set(key.slice(1), item);
      }
    }
    if (/^\d+$/.test(token)) {
      // `n g R`: look ahead for the generation and the R.
      const back = this.pos;
      const gen = this.token();
      if (gen !== undefined && /^\d+$/.test(gen) && this.token() === "R") {
        return new PdfRef(Number(token), Number(gen));
      }
      this.pos = back;
    }
    return token;
  }
}

/** The integer an atom holds, or undefined. */
export function asInt(value: PdfValue | undefined): number | undefined {
  return typeof value === "string" && /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}

/** Writes a value back as PDF text, references through `ref`. */
export function writeValue(value: PdfValue, ref: (target: PdfRef) => string): string {
  if (typeof value === "string") return value;
  if (value instanceof PdfRef) return ref(value);
  if (Array.isArray(value)) return `[${value.map((item) => writeValue(item, ref)).join(" ")}]`;
  let text = "<<";
  for (const [key, item] of value.entries) text += `/${key} ${writeValue(item, ref)}`;
  return `${text}>>`;
}

/** Most bytes one compressed structure (a cross-reference or object stream) may inflate to. */
export const MAX_INFLATED_STRUCTURE_BYTES = 64 * 1024 * 1024;

/**
 * The decoded data of a cross-reference or object stream: FlateDecode (with PNG predictors) or
 * none; any other filter is left to pdf.js (`UnsupportedPdf`).
 */
export async function decodeStructureStream(dict: PdfDict, data: Uint8Array): Promise<Uint8Array> {
  const filters = asList(dict.get("Filter"));
  const parms = asList(dict.get("DecodeParms"));
  if (filters.length === 0) return data;
  if (filters.length > 1 || filters[0] !== "/FlateDecode") {
    throw new UnsupportedPdf("a structure stream uses a filter this reader does not decode");
  }
  const inflated = await inflate(data);
  const parm = parms[0];
  if (!(parm instanceof PdfDict)) return inflated;
  const predictor = asInt(parm.get("Predictor")) ?? 1;
  if (predictor === 1) return inflated;
  if (predictor < 10) throw new UnsupportedPdf("a structure stream uses a TIFF predictor");
  const colors = asInt(parm.get("Colors")) ?? 1;
  const bits = asInt(parm.get("BitsPerComponent")) ?? 8;
  const columns = asInt(parm.get("Columns")) ?? 1;
  return unpredictPng(inflated, Math.ceil((colors * bits) / 8), Math.ceil((columns * colors * bits) / 8));
}

function asList(value: PdfValue | undefined): PdfValue[] {
  if (value === undefined || value === "null") return [];
  return Array.isArray(value) ? value : [value];
}

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  // fflate builds its tables at load: imported by the messages that read a large PDF's structure.
  const { Inflate, Unzlib } = await import("fflate");
  const chunks: Uint8Array[] = [];
  let total = 0;
  // A zlib header (RFC 1950) when it checks out, else raw deflate data, as some writers leave.
  const zlib = data.length > 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
  const inflater = zlib ? new Unzlib() : new Inflate();
  inflater.ondata = (chunk) => {
    total += chunk.length;
    if (total > MAX_INFLATED_STRUCTURE_BYTES) {
      throw new ParseError(
        "hostile",
        "a compressed structure of the PDF inflates beyond any real file's and was refused",
      );
    }
    chunks.push(chunk);
  };
  try {
    inflater.push(data, true);
  } catch (error) {
    if (error instanceof ParseError) throw error;
    // Data that ends early (a truncated stream) keeps what inflated, as pdf.js does.
    if (total === 0) throw new UnsupportedPdf("a structure stream does not inflate");
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Undoes PNG row filters (predictors 10-15): each row starts with its filter's byte. */
function unpredictPng(data: Uint8Array, pixelBytes: number, rowBytes: number): Uint8Array {
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  for (let row = 0; row < rows; row++) {
    const filter = data[row * (rowBytes + 1)]!;
    const source = row * (rowBytes + 1) + 1;
    const at = row * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const raw = data[source + i]!;
      const left = i >= pixelBytes ? out[at + i - pixelBytes]! : 0;
      const up = row > 0 ? out[at + i - rowBytes]! : 0;
      const upLeft = row > 0 && i >= pixelBytes ? out[at + i - rowBytes - pixelBytes]! : 0;
      let value: number;
      switch (filter) {
        case 0:
          value = raw;
          break;
        case 1:
          value = raw + left;
          break;
        case 2:
          value = raw + up;
          break;
        case 3:
          value = raw + ((left + up) >> 1);
          break;
        case 4: {
          const p = left + up - upLeft;
          const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
          value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw new UnsupportedPdf("a structure stream has an unknown PNG row filter");
      }
      out[at + i] = value & 0xff;
    }
  }
  return out;
}
