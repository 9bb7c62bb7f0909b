// A large PDF's batch of pages as a small PDF of its own, built from the original's bytes read by
// range (from R2), so that a queue message never holds the whole file: pdf.js keeps whatever it is
// given, and even over a range transport allocates the file's whole length. The part holds the
// batch's pages under a one-level page tree, every object they reach copied as it is (streams
// byte for byte, objects of object streams taken out of them, references renumbered), and the
// attributes the pages inherited (/Resources, /MediaBox, /CropBox, /Rotate) carried down to them.
import {
  asInt,
  decodeStructureStream,
  latin1,
  latin1Bytes,
  PdfDict,
  PdfLexer,
  PdfRef,
  type PdfValue,
  UnsupportedPdf,
  writeValue,
} from "./pdf-syntax";
import { ParseError } from "./types";

export { UnsupportedPdf } from "./pdf-syntax";

/** A file read by byte ranges (R2's `get(key, { range })`): each read returns a copy of its bytes. */
export interface RangeReader {
  /** The file's length in bytes. */
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A batch's pages as a PDF of their own: its page i is the original's page `firstPage + i - 1`. */
export interface PdfPart {
  bytes: Uint8Array;
  /** Pages of the whole file. */
  pageCount: number;
  firstPage: number;
  /** The last page the part holds: fewer than asked when their objects pass `MAX_PART_BYTES`. */
  lastPage: number;
}

/**
 * Most bytes of objects a part copies: what a message adds to pdf.js' own heap (35-45 MB) for its
 * pages. While the part is written its objects are held twice (as read, and as written).
 */
export const MAX_PART_BYTES = 8 * 1024 * 1024;
/** A single page reaching more than this is refused: it could not be read within an isolate's 128 MB. */
export const MAX_PAGE_BYTES = 24 * 1024 * 1024;
/** Most objects a part copies. */
export const MAX_PART_OBJECTS = 100_000;
/** Most objects a file's cross-reference data may declare (its table is held while a part is built). */
export const MAX_XREF_ENTRIES = 2_000_000;
/** Most cross-reference sections followed through /Prev (incremental updates). */
const MAX_XREF_SECTIONS = 1_000;
/** Most subsections of one cross-reference table (each costs a read). */
const MAX_XREF_SUBSECTIONS = 10_000;
/** Deepest page tree walked. */
const MAX_PAGE_TREE_DEPTH = 64;
/** Bytes read from the end of the file to find `startxref`. */
const TAIL_BYTES = 2048;
/** Ranges of one round of reads closer than this are read as one. */
const MERGE_GAP_BYTES = 32 * 1024;
/** Range reads in flight at once. */
const READS_IN_FLIGHT = 6;
/** Decoded object streams kept while a part is built. */
const OBJECT_STREAM_CACHE_BYTES = 8 * 1024 * 1024;

/** Page attributes a page takes from its ancestors when it lacks them. */
const INHERITED = ["Resources", "MediaBox", "CropBox", "Rotate"] as const;
/** Page entries a part leaves out: the old tree, and what no reader of its text or pictures needs. */
const DROPPED_PAGE_KEYS = new Set(["Parent", "B", "Thumb", "PieceInfo", "Metadata", "AA"]);

/** Where the cross-reference data puts each object. */
class Xref {
  /** 0 free or absent, 1 at an offset, 2 inside an object stream. */
  readonly type: Uint8Array;
  /** The offset (type 1) or the object stream's number (type 2). */
  readonly field: Float64Array;
  /** The index within the object stream (type 2). */
  readonly index: Uint32Array;
  readonly known: Uint8Array;
  /** Every offset an object or a cross-reference section starts at, sorted: an object ends where the next begins. */
  starts: Float64Array = new Float64Array(0);

  constructor(readonly size: number) {
    this.type = new Uint8Array(size);
    this.field = new Float64Array(size);
    this.index = new Uint32Array(size);
    this.known = new Uint8Array(size);
  }

  /** Records an entry unless a newer section already did. */
  set(num: number, type: number, field: number, index: number): void {
    if (num < 0 || num >= this.size || this.known[num]) return;
    this.known[num] = 1;
    this.type[num] = type;
    this.field[num] = field;
    this.index[num] = index;
  }

  /** Where the object at `offset` ends at the latest. */
  endOf(offset: number, fileSize: number): number {
    let [low, high] = [0, this.starts.length];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.starts[mid]! <= offset) low = mid + 1;
      else high = mid;
    }
    return low < this.starts.length ? this.starts[low]! : fileSize;
  }
}

/** An object as read: its value and, for a stream, its data as stored. */
interface PdfObject {
  value: PdfValue;
  stream?: Uint8Array;
}

/** A byte range read in a round, kept until the round's objects are parsed. */
interface Fetched {
  offset: number;
  bytes: Uint8Array;
}

/** Reads objects of a file through its cross-reference data, a round of range reads at a time. */
class PdfObjects {
  #fetched: Fetched[] = [];
  readonly #objectStreams = new Map<number, { data: Uint8Array; offsets: number[] }>();
  #objectStreamBytes = 0;
  /** Bytes read from the file, for the part's budget. */
  bytesRead = 0;

  constructor(
    readonly reader: RangeReader,
    readonly xref: Xref,
  ) {}

  /** The extent of an object stored at an offset. */
  #extent(num: number): [number, number] | undefined {
    if (num <= 0 || num >= this.xref.size || this.xref.type[num] !== 1) return undefined;
    const offset = this.xref.field[num]!;
    return [offset, this.xref.endOf(offset, this.reader.size)];
  }

  /** Reads, in as few ranges as fit, the objects (or their object streams) among `nums` not read yet. */
  async prefetch(nums: number[]): Promise<void> {
    const extents: [number, number][] = [];
    for (const num of nums) {
      const holder = this.xref.type[num] === 2 ? this.xref.field[num]! : num;
      if (this.xref.type[num] === 2 && this.#objectStreams.has(holder)) continue;
      const extent = this.#extent(holder);
      if (extent && !this.#covered(extent[0], extent[1])) extents.push(extent);
    }
    extents.sort((a, b) => a[0] - b[0]);
    const ranges: [number, number][] = [];
    for (const [from, to] of extents) {
      const last = ranges[ranges.length - 1];
      if (last && from - last[1] <= MERGE_GAP_BYTES) last[1] = Math.max(last[1], to);
      else ranges.push([from, to]);
    }
    const fetched: Fetched[] = [];
    for (let i = 0; i < ranges.length; i += READS_IN_FLIGHT) {
      fetched.push(
        ...(await Promise.all(
          ranges.slice(i, i + READS_IN_FLIGHT).map(async ([from, to]) => ({
            offset: from,
            bytes: await this.#read(from, to - from),
          })),
        )),
      );
    }
    this.#fetched = fetched;
  }

  async #read(offset: number, length: number): Promise<Uint8Array> {
    this.bytesRead += length;
    if (this.bytesRead > MAX_PAGE_BYTES * 2) {
      throw new ParseError("too_large", "the PDF's pages reach more data than a batch can read");
    }
    return this.reader.read(offset, length);
  }

  #covered(from: number, to: number): Fetched | undefined {
    return this.#fetched.find((range) => range.offset <= from && to <= range.offset + range.bytes.length);
  }

  /** The bytes `[from, to)`, from this round's reads or read now. */
  async #bytes(from: number, to: number): Promise<Uint8Array> {
    const range = this.#covered(from, to);
    if (range) return range.bytes.subarray(from - range.offset, to - range.offset);
    return this.#read(from, to - from);
  }

  /** Object `num`, or undefined when the file does not have it (a reference to it reads as null). */
  async get(num: number): Promise<PdfObject | undefined> {
    if (num <= 0 || num >= this.xref.size) return undefined;
    const type = this.xref.type[num];
    if (type === 1) return this.#stored(num);
    if (type === 2) return this.#compressed(num);
    return undefined;
  }

  async #stored(num: number): Promise<PdfObject> {
    const [from, to] = this.#extent(num)!;
    const bytes = await this.#bytes(from, to);
    const lexer = new PdfLexer(bytes);
    const [head, , keyword] = [lexer.token(), lexer.token(), lexer.token()];
    if (head !== String(num) || keyword !== "obj") {
      throw new UnsupportedPdf(`object ${num} is not where the cross-reference data puts it`);
    }
    const value = lexer.value();
    if (value === undefined) throw new UnsupportedPdf(`object ${num} is cut short`);
    if (!(value instanceof PdfDict) || lexer.token() !== "stream") return { value };
    // The data starts after the end of line that follows `stream`.
    let start = lexer.pos;
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    const length = await this.#length(value.get("Length"));
    let end = length !== undefined && endstreamAt(bytes, start + length) ? start + length : undefined;
    if (end === undefined) {
      // A wrong or missing /Length: the data runs to the first `endstream`, as pdf.js reads it.
      const at = indexOf(bytes, ENDSTREAM, start);
      if (at < 0) throw new UnsupportedPdf(`the stream of object ${num} has no end`);
      end = at;
      if (bytes[end - 1] === 0x0a) end--;
      if (bytes[end - 1] === 0x0d) end--;
    }
    return { value, stream: bytes.subarray(start, end) };
  }

  async #length(value: PdfValue | undefined): Promise<number | undefined> {
    if (value instanceof PdfRef) {
      const object = await this.get(value.num);
      return asInt(object?.value);
    }
    return asInt(value);
  }

  async #compressed(num: number): Promise<PdfObject | undefined> {
    const holder = this.xref.field[num]!;
    const index = this.xref.index[num]!;
    let objectStream = this.#objectStreams.get(holder);
    if (!objectStream) {
      const container = await this.get(holder);
      if (!container?.stream || !(container.value instanceof PdfDict)) {
        throw new UnsupportedPdf(`object stream ${holder} is missing`);
      }
      const data = await decodeStructureStream(container.value, container.stream);
      const count = asInt(container.value.get("N")) ?? 0;
      const first = asInt(container.value.get("First")) ?? 0;
      const header = new PdfLexer(data.subarray(0, first));
      const offsets: number[] = [];
      for (let i = 0; i < count; i++) {
        header.token();
        offsets.push(first + Number(header.token()));
      }
      objectStream = { data, offsets };
      this.#cacheObjectStream(holder, objectStream);
    }
    const offset = objectStream.offsets[index];
    if (offset === undefined || Number.isNaN(offset)) return undefined;
    const value = new PdfLexer(objectStream.data, offset).value();
    return value === undefined ? undefined : { value };
  }

  #cacheObjectStream(num: number, entry: { data: Uint8Array; offsets: number[] }): void {
    this.#objectStreams.set(num, entry);
    this.#objectStreamBytes += entry.data.length;
    for (const [key, held] of this.#objectStreams) {
      if (this.#objectStreamBytes <= OBJECT_STREAM_CACHE_BYTES || key === num) break;
      this.#objectStreams.delete(key);
      this.#objectStreamBytes -= held.data.length;
    }
  }
}

const ENDSTREAM = latin1Bytes("endstream");

function endstreamAt(bytes: Uint8Array, at: number): boolean {
  let pos = at;
  while (pos < bytes.length && (bytes[pos] === 0x0a || bytes[pos] === 0x0d || bytes[pos] === 0x20)) pos++;
  return ENDSTREAM.every((byte, i) => bytes[pos + i] === byte);
}

function indexOf(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let at = from; at + needle.length <= bytes.length; at++) {
    for (let i = 0; i < needle.length; i++) if (bytes[at + i] !== needle[i]) continue outer;
    return at;
  }
  return -1;
}

/** The file's cross-reference data, newest section first, and its newest trailer. */
async function readXref(reader: RangeReader): Promise<{ xref: Xref; trailer: PdfDict }> {
  const tailStart = Math.max(0, reader.size - TAIL_BYTES);
  const tail = latin1(await reader.read(tailStart, reader.size - tailStart));
  const match = /startxref\s+(\d+)/g;
  let startxref: number | undefined;
  for (let found = match.exec(tail); found; found = match.exec(tail)) startxref = Number(found[1]);
  if (startxref === undefined || startxref >= reader.size) {
    throw new UnsupportedPdf("the file does not end with a cross-reference offset");
  }
  const sections: { trailer: PdfDict; entries: (xref: Xref) => void; size: number; offset: number }[] = [];
  const seen = new Set<number>();
  const pending = [startxref];
  while (pending.length > 0) {
    const offset = pending.shift()!;
    if (seen.has(offset)) continue;
    if (seen.size >= MAX_XREF_SECTIONS)
      throw new UnsupportedPdf("the file has too many cross-reference sections");
    if (offset < 0 || offset >= reader.size)
      throw new UnsupportedPdf("a cross-reference offset is outside the file");
    seen.add(offset);
    const section = await readXrefSection(reader, offset);
    sections.push({ ...section, offset });
    // A hybrid file's table names a cross-reference stream for its compressed objects: the table
    // comes first, then that stream, then older sections.
    const stream = asInt(section.trailer.get("XRefStm"));
    const prev = asInt(section.trailer.get("Prev"));
    if (stream !== undefined) pending.unshift(stream);
    if (prev !== undefined) pending.push(prev);
  }
  const trailer = sections[0]!.trailer;
  if (trailer.get("Encrypt") !== undefined) throw new UnsupportedPdf("the PDF is encrypted");
  const size = Math.max(...sections.map((section) => section.size));
  if (size > MAX_XREF_ENTRIES) {
    throw new ParseError("too_large", `the PDF declares more than ${MAX_XREF_ENTRIES} objects`);
  }
  const xref = new Xref(size);
  for (const section of sections) section.entries(xref);
  const starts: number[] = sections.map((section) => section.offset);
  for (let num = 0; num < size; num++) if (xref.type[num] === 1) starts.push(xref.field[num]!);
  xref.starts = Float64Array.from(starts).sort();
  return { xref, trailer };
}

/** One cross-reference section at `offset`: a table and its trailer, or a cross-reference stream. */
async function readXrefSection(
  reader: RangeReader,
  offset: number,
): Promise<{ trailer: PdfDict; entries: (xref: Xref) => void; size: number }> {
  const head = await reader.read(offset, Math.min(16 * 1024, reader.size - offset));
  const lexer = new PdfLexer(head);
  if (lexer.token() === "xref") return readXrefTable(reader, offset, lexer.pos);
  // A cross-reference stream: an object whose dictionary says how its rows are laid out.
  lexer.pos = 0;
  const [, , keyword] = [lexer.token(), lexer.token(), lexer.token()];
  if (keyword !== "obj") throw new UnsupportedPdf("no cross-reference data where the file says");
  let dict: PdfValue | undefined;
  try {
    dict = lexer.value();
  } catch {
    throw new UnsupportedPdf("the cross-reference stream's dictionary could not be read");
  }
  if (!(dict instanceof PdfDict) || lexer.token() !== "stream") {
    throw new UnsupportedPdf("no cross-reference stream where the file says");
  }
  let start = lexer.pos;
  if (head[start] === 0x0d) start++;
  if (head[start] === 0x0a) start++;
  const length = asInt(dict.get("Length"));
  if (length === undefined || length < 0 || offset + start + length > reader.size) {
    throw new UnsupportedPdf("the cross-reference stream's length is not given");
  }
  const data = await decodeStructureStream(dict, await reader.read(offset + start, length));
  const widths = (Array.isArray(dict.get("W")) ? (dict.get("W") as PdfValue[]) : []).map(asInt);
  const size = asInt(dict.get("Size")) ?? 0;
  if (widths.length !== 3 || widths.some((w) => w === undefined || w < 0 || w > 8)) {
    throw new UnsupportedPdf("the cross-reference stream's row layout is not valid");
  }
  const [w1, w2, w3] = widths as [number, number, number];
  const indexValue = dict.get("Index");
  const index = (Array.isArray(indexValue) ? indexValue : ["0", String(size)]).map(asInt);
  if (index.some((n) => n === undefined))
    throw new UnsupportedPdf("the cross-reference stream's index is not valid");
  const row = w1 + w2 + w3;
  const field = (at: number, width: number) => {
    let value = 0;
    for (let i = 0; i < width; i++) value = value * 256 + data[at + i]!;
    return value;
  };
  return {
    trailer: dict,
    size: Math.max(size, ...subsectionEnds(index as number[])),
    entries: (xref) => {
      let at = 0;
      for (let s = 0; s + 1 < index.length; s += 2) {
        const [first, count] = [index[s]!, index[s + 1]!];
        for (let i = 0; i < count && at + row <= data.length; i++, at += row) {
          const type = w1 === 0 ? 1 : field(at, w1);
          if (type === 1 || type === 2)
            xref.set(first + i, type, field(at + w1, w2), field(at + w1 + w2, w3));
          else xref.set(first + i, 0, 0, 0);
        }
      }
    },
  };
}

function subsectionEnds(index: number[]): number[] {
  const ends: number[] = [];
  for (let s = 0; s + 1 < index.length; s += 2) ends.push(index[s]! + index[s + 1]!);
  return ends;
}

/** A classic table (`xref`, subsections of 20-byte rows) and the trailer that follows it. */
async function readXrefTable(
  reader: RangeReader,
  offset: number,
  bodyStart: number,
): Promise<{ trailer: PdfDict; entries: (xref: Xref) => void; size: number }> {
  const rows: [number, number, boolean][] = [];
  let at = offset + bodyStart;
  for (let subsections = 0; ; subsections++) {
    if (subsections > MAX_XREF_SUBSECTIONS) {
      throw new UnsupportedPdf("the cross-reference table has too many subsections");
    }
    const head = new PdfLexer(await reader.read(at, Math.min(256, reader.size - at)));
    const first = head.token();
    if (first === "trailer") {
      const trailerBytes = await reader.read(at + head.pos, Math.min(64 * 1024, reader.size - at - head.pos));
      const trailer = new PdfLexer(trailerBytes).value();
      if (!(trailer instanceof PdfDict)) throw new UnsupportedPdf("the trailer could not be read");
      const size = asInt(trailer.get("Size")) ?? 0;
      const declared = Math.max(size, ...rows.map(([num]) => num + 1));
      return {
        trailer,
        size: declared,
        entries: (xref) => {
          // A free row leaves the number to older sections, or to a hybrid file's stream.
          for (const [num, offsetOf, used] of rows) if (used) xref.set(num, 1, offsetOf, 0);
        },
      };
    }
    const start = asInt(first);
    const count = asInt(head.token());
    if (start === undefined || count === undefined || count < 0) {
      throw new UnsupportedPdf("the cross-reference table could not be read");
    }
    if (rows.length + count > MAX_XREF_ENTRIES) {
      throw new ParseError("too_large", `the PDF declares more than ${MAX_XREF_ENTRIES} objects`);
    }
    // Rows are 20 bytes; some writers end them with one byte: read them as tokens.
    const body = await reader.read(at + head.pos, Math.min(count * 20 + 64, reader.size - at - head.pos));
    const lexer = new PdfLexer(body);
    for (let i = 0; i < count; i++) {
      const [offsetOf, , kind] = [lexer.token(), lexer.token(), lexer.token()];
      if (kind !== "n" && kind !== "f")
        throw new UnsupportedPdf("the cross-reference table could not be read");
      rows.push([start + i, Number(offsetOf), kind === "n"]);
    }
    at += head.pos + lexer.pos;
  }
}

/** A page found in the tree, with the attributes its ancestors hand down. */
interface FoundPage {
  num: number;
  dict: PdfDict;
  inherited: Map<string, PdfValue>;
}

/** The page tree's node for a value: a dictionary, through its reference. */
async function nodeOf(
  objects: PdfObjects,
  ref: PdfValue | undefined,
): Promise<{ num: number; dict: PdfDict }> {
  if (!(ref instanceof PdfRef))
    throw new UnsupportedPdf("the page tree holds a node that is not a reference");
  const object = await objects.get(ref.num);
  if (!(object?.value instanceof PdfDict))
    throw new UnsupportedPdf("the page tree holds a node that is not a dictionary");
  return { num: ref.num, dict: object.value };
}

/** A node with kids, unless it says it is a page (as pdf.js tells them apart). */
const isPagesNode = (dict: PdfDict) => dict.get("Type") !== "/Page" && Array.isArray(dict.get("Kids"));

/**
 * Pages `from`..`to` of the tree under the catalog, with the page tree's node numbers (a part
 * writes them as null where other objects point at them). Counts that do not add up are left to pdf.js.
 */
async function findPages(
  objects: PdfObjects,
  root: PdfDict,
  from: number,
  to: number,
): Promise<{ pageCount: number; pages: FoundPage[]; treeNodes: Set<number> }> {
  const top = await nodeOf(objects, root.get("Pages"));
  const pageCount = asInt(top.dict.get("Count"));
  if (pageCount === undefined || pageCount < 1)
    throw new UnsupportedPdf("the page tree does not count its pages");
  const pages: FoundPage[] = [];
  const treeNodes = new Set<number>();
  let nodesRead = 0;
  const last = Math.min(to, pageCount);
  const walk = async (
    node: { num: number; dict: PdfDict },
    first: number,
    inherited: Map<string, PdfValue>,
    depth: number,
  ) => {
    if (depth > MAX_PAGE_TREE_DEPTH || treeNodes.has(node.num)) {
      throw new ParseError("hostile", "the PDF's page tree loops back on itself and was refused for safety");
    }
    treeNodes.add(node.num);
    const here = new Map(inherited);
    for (const key of INHERITED) {
      const value = node.dict.get(key);
      if (value !== undefined) here.set(key, value);
    }
    const kids = node.dict.get("Kids");
    if (!Array.isArray(kids)) throw new UnsupportedPdf("a page tree node has no kids");
    const count = asInt(node.dict.get("Count"));
    // A node counting as many pages as it has kids holds pages only (the usual flat tree): the
    // pages wanted are read without reading the others.
    const flat = count === kids.length;
    const wanted = flat ? kids.slice(Math.max(0, from - first), Math.max(0, last - first + 1)) : kids;
    nodesRead += wanted.length;
    if (nodesRead > MAX_PART_OBJECTS) {
      throw new ParseError(
        "too_large",
        `the PDF's page tree holds more than ${MAX_PART_OBJECTS} nodes on the way to its pages`,
      );
    }
    await objects.prefetch(wanted.flatMap((kid) => (kid instanceof PdfRef ? [kid.num] : [])));
    const nodes = await Promise.all(wanted.map((kid) => nodeOf(objects, kid)));
    let page = flat ? first + Math.max(0, from - first) : first;
    for (const kid of nodes) {
      if (page > last) break;
      if (isPagesNode(kid.dict)) {
        const kidCount = asInt(kid.dict.get("Count"));
        if (kidCount === undefined || kidCount < 0)
          throw new UnsupportedPdf("a page tree node does not count its pages");
        if (flat && kidCount !== 1) throw new UnsupportedPdf("the page tree's counts do not add up");
        if (page + kidCount - 1 >= from) await walk(kid, page, here, depth + 1);
        page += kidCount;
      } else {
        if (page >= from) pages.push({ ...kid, inherited: here });
        page++;
      }
    }
  };
  await walk(top, 1, new Map(), 0);
  if (pages.length !== last - from + 1) throw new UnsupportedPdf("the page tree's counts do not add up");
  return { pageCount, pages, treeNodes };
}

/** The part's objects as written: numbered from 3 (1 is the catalog, 2 the page tree). */
class PartWriter {
  readonly #chunks: Uint8Array[] = [];
  readonly #offsets: number[] = [];
  #length = 0;

  constructor() {
    this.#write(latin1Bytes("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"));
  }

  get length(): number {
    return this.#length;
  }

  #write(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  object(id: number, text: string, stream?: Uint8Array): void {
    this.#offsets[id] = this.#length;
    this.#write(latin1Bytes(`${id} 0 obj\n${text}\n`));
    if (stream) {
      this.#write(latin1Bytes("stream\n"));
      this.#write(stream);
      this.#write(latin1Bytes("\nendstream\n"));
    }
    this.#write(latin1Bytes("endobj\n"));
  }

  finish(): Uint8Array {
    const count = this.#offsets.length;
    const xref = this.#length;
    let table = `xref\n0 ${count}\n0000000000 65535 f\r\n`;
    for (let id = 1; id < count; id++)
      table += `${String(this.#offsets[id] ?? 0).padStart(10, "0")} 00000 n\r\n`;
    this.#write(latin1Bytes(`${table}trailer\n<</Size ${count}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`));
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

/** The part's page tree, as its pages' /Parent. */
const PART_TREE = new PdfRef(-1, 0);

/** Whether a dictionary is a page, a page tree node or the catalog: never copied into a part but through its tree. */
function isStructural(value: PdfValue): boolean {
  if (!(value instanceof PdfDict)) return false;
  const type = value.get("Type");
  return type === "/Page" || type === "/Pages" || type === "/Catalog";
}

/**
 * Builds the part of the file holding pages `from`..`to` (or fewer, where their objects pass
 * MAX_PART_BYTES: at least `from`). Throws `UnsupportedPdf` for a file this reader does not
 * follow (encrypted, cross-reference data that does not match the file), `ParseError` for one
 * over its bounds.
 */
export async function readPdfPart(reader: RangeReader, from: number, to: number): Promise<PdfPart> {
  const { xref, trailer } = await readXref(reader);
  const objects = new PdfObjects(reader, xref);
  const rootRef = trailer.get("Root");
  if (!(rootRef instanceof PdfRef)) throw new UnsupportedPdf("the trailer names no catalog");
  await objects.prefetch([rootRef.num]);
  const root = (await objects.get(rootRef.num))?.value;
  if (!(root instanceof PdfDict)) throw new UnsupportedPdf("the catalog could not be read");
  const found = await findPages(objects, root, from, to);
  for (let count = found.pages.length; ; count = Math.ceil(count / 2)) {
    const part = await copyPages(objects, found.pages.slice(0, count), found.treeNodes);
    if (part) return { bytes: part, pageCount: found.pageCount, firstPage: from, lastPage: from + count - 1 };
    if (count === 1) {
      throw new ParseError(
        "too_large",
        `page ${from} of the PDF holds more than ${MAX_PAGE_BYTES / 1024 / 1024} MB of objects`,
      );
    }
  }
}

/**
 * The part holding `pages` and every object they reach, or undefined when that passes
 * MAX_PART_BYTES (MAX_PAGE_BYTES for a single page). Objects are read a round at a time: those
 * the previous round's objects point at.
 */
async function copyPages(
  objects: PdfObjects,
  pages: FoundPage[],
  treeNodes: Set<number>,
): Promise<Uint8Array | undefined> {
  const budget = pages.length === 1 ? MAX_PAGE_BYTES : MAX_PART_BYTES;
  const out = new PartWriter();
  const ids = new Map<number, number>();
  const batchPages = new Set(pages.map((page) => page.num));
  let pending: number[] = [];
  const idOf = (target: PdfRef): string => {
    if (!batchPages.has(target.num) && treeNodes.has(target.num)) return "null";
    let id = ids.get(target.num);
    if (id === undefined) {
      id = 3 + ids.size;
      if (ids.size >= MAX_PART_OBJECTS) {
        throw new ParseError("too_large", `the PDF's pages reach more than ${MAX_PART_OBJECTS} objects`);
      }
      ids.set(target.num, id);
      pending.push(target.num);
    }
    return `${id} 0 R`;
  };
  out.object(1, "<</Type/Catalog/Pages 2 0 R>>");
  out.object(
    2,
    `<</Type/Pages/Kids[${pages.map((page) => idOf(new PdfRef(page.num, 0))).join(" ")}]/Count ${pages.length}>>`,
  );
  const pageByNum = new Map(pages.map((page) => [page.num, page]));
  while (pending.length > 0) {
    const round = pending;
    pending = [];
    await objects.prefetch(round.filter((num) => !pageByNum.has(num)));
    for (const num of round) {
      const id = ids.get(num)!;
      const page = pageByNum.get(num);
      const object = page ? { value: page.dict } : await objects.get(num);
      if (!object || (!page && isStructural(object.value))) {
        out.object(id, "null");
        continue;
      }
      let value = object.value;
      if (page) {
        const entries = new Map([...page.inherited].filter(([key]) => !page.dict.entries.has(key)));
        for (const [key, item] of page.dict.entries) if (!DROPPED_PAGE_KEYS.has(key)) entries.set(key, item);
        entries.set("Parent", PART_TREE);
        value = new PdfDict(entries);
      }
      const stream = object.stream;
      if (stream && value instanceof PdfDict) {
        value = new PdfDict(new Map([...value.entries, ["Length", String(stream.length)]]));
      }
      out.object(
        id,
        writeValue(value, (target) => (target === PART_TREE ? "2 0 R" : idOf(target))),
        stream,
      );
      if (out.length > budget) return undefined;
    }
  }
  return out.finish();
}
