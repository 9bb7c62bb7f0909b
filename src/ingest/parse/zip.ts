import { Inflate } from "fflate";
import { DEFAULT_PARSE_LIMITS, ParseError, type ParseLimits } from "./types";

/** Most bytes one entry may inflate to: a bigger XML part could not be parsed within a Worker's memory. */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

// DEFLATE cannot expand more than 1032:1 (a 2-bit code for 258 bytes), so a larger declared size is a lie.
const MAX_DEFLATE_RATIO = 1032;
// Compressed bytes fed to the inflater at a time: at most ~8 MB comes out before the size check runs again.
const INFLATE_CHUNK = 8 * 1024;

const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  dataStart: number;
}

/**
 * A zip container whose central directory has been checked as a whole (entry count, declared
 * sizes, overlaps) before anything is inflated. Entries are inflated one at a time, on request.
 */
export class ZipArchive {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly entries: Map<string, ZipEntry>,
  ) {}

  /** Reads and checks the central directory of `bytes`; throws a ParseError for anything unsafe. */
  static open(bytes: Uint8Array, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ZipArchive {
    if (startsWith(bytes, CFB_SIGNATURE)) throw oleContainerError(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const directory = findCentralDirectory(view);
    if (directory.count > limits.maxZipEntries) {
      throw new ParseError("too_large", `the file holds more than ${limits.maxZipEntries} parts`);
    }
    const entries = readCentralDirectory(view, bytes, directory);
    checkEntries(entries, directory.offset, limits);
    return new ZipArchive(bytes, new Map(entries.map((entry) => [entry.name, entry])));
  }

  /** Entry names in central-directory order. */
  get names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The size an entry declares once inflated (checked on reading), or 0 when there is no such entry. */
  sizeOf(name: string): number {
    return this.entries.get(name)?.size ?? 0;
  }

  /**
   * Inflates one entry, refusing it when it declares more than MAX_ENTRY_BYTES and stopping as
   * soon as it inflates to more than it declared.
   */
  read(name: string): Uint8Array {
    const { entry, data } = this.#entryData(name);
    return entry.method === 0 ? data : inflateExactly(data, entry.size, name);
  }

  /**
   * Inflates one entry as `read` does, with the runtime's own zlib (DecompressionStream), for the
   * many small parts of a package: fflate allocates a window and decoding tables per entry, ~0.4 MB
   * of buffers for a 2.5 KB header, which an isolate counts until it collects them (a DOCX's 55
   * headers and footers, 23 MB). A large part makes less garbage through `read`.
   */
  async readInflated(name: string): Promise<Uint8Array> {
    const { entry, data } = this.#entryData(name);
    return entry.method === 0 ? data : inflateNatively(data, entry.size, name);
  }

  /** An entry and its stored bytes, refused when it declares more than MAX_ENTRY_BYTES or another method than deflate. */
  #entryData(name: string): { entry: ZipEntry; data: Uint8Array } {
    const entry = this.entries.get(name);
    if (!entry) throw new ParseError("corrupt", `the file lacks its part ${name}`);
    if (entry.size > MAX_ENTRY_BYTES) {
      throw new ParseError(
        "too_large",
        `the part ${name} is larger than ${MAX_ENTRY_BYTES / 1024 / 1024} MB`,
      );
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw new ParseError("unsupported", `the part ${name} uses a compression method other than deflate`);
    }
    return { entry, data: this.bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize) };
  }
}

interface CentralDirectory {
  count: number;
  offset: number;
  size: number;
}

function findCentralDirectory(view: DataView): CentralDirectory {
  // The end record is the last 22 bytes plus a comment of up to 65,535 bytes.
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) !== END_OF_CENTRAL_DIRECTORY) continue;
    if (view.getUint16(at + 4, true) !== 0 || view.getUint16(at + 6, true) !== 0) {
      throw new ParseError("unsupported", "the file is a multi-volume zip archive");
    }
    let count = view.getUint16(at + 10, true);
    let size = view.getUint32(at + 12, true);
    let offset = view.getUint32(at + 16, true);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      ({ count, size, offset } = readZip64End(view, at));
    }
    if (offset + size > at) throw corrupt();
    return { count, offset, size };
  }
  throw new ParseError("corrupt", "the file is not a valid Office document (it is not a zip container)");
}

function readZip64End(view: DataView, endAt: number): CentralDirectory {
  const locatorAt = endAt - 20;
  if (locatorAt < 0 || view.getUint32(locatorAt, true) !== ZIP64_LOCATOR) throw corrupt();
  const recordAt = readUint64(view, locatorAt + 8);
  if (recordAt + 56 > view.byteLength || view.getUint32(recordAt, true) !== ZIP64_END) throw corrupt();
  return {
    count: readUint64(view, recordAt + 32),
    size: readUint64(view, recordAt + 40),
    offset: readUint64(view, recordAt + 48),
  };
}

function readCentralDirectory(view: DataView, bytes: Uint8Array, directory: CentralDirectory): ZipEntry[] {
  const names = new TextDecoder();
  const entries: ZipEntry[] = [];
  let at = directory.offset;
  for (let i = 0; i < directory.count; i++) {
    if (at + 46 > view.byteLength || view.getUint32(at, true) !== CENTRAL_HEADER) throw corrupt();
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > view.byteLength) throw corrupt();
    if (flags & 1) throw new ParseError("encrypted", "the document is password-protected");
    const sizes = {
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
    };
    applyZip64Extra(view, at + 46 + nameLength, extraLength, sizes);
    entries.push({
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: sizes.compressedSize,
      size: sizes.size,
      dataStart: localDataStart(view, sizes.offset),
    });
    at = end;
  }
  return entries;
}

/** Replaces the 32-bit sizes and offset that overflowed (0xFFFFFFFF) with their ZIP64 values. */
function applyZip64Extra(
  view: DataView,
  extraAt: number,
  extraLength: number,
  sizes: { compressedSize: number; size: number; offset: number },
): void {
  for (let at = extraAt; at + 4 <= extraAt + extraLength; ) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      for (const key of ["size", "compressedSize", "offset"] as const) {
        if (sizes[key] !== 0xffffffff) continue;
        if (field + 8 > at + 4 + length) throw corrupt();
        sizes[key] = readUint64(view, field);
        field += 8;
      }
      return;
    }
    at += 4 + length;
  }
}

function localDataStart(view: DataView, headerAt: number): number {
  if (headerAt + 30 > view.byteLength || view.getUint32(headerAt, true) !== LOCAL_HEADER) throw corrupt();
  return headerAt + 30 + view.getUint16(headerAt + 26, true) + view.getUint16(headerAt + 28, true);
}

/** Every check that needs no inflating: duplicates, bounds, overlaps, impossible ratios, total size. */
function checkEntries(entries: ZipEntry[], directoryOffset: number, limits: ParseLimits): void {
  if (new Set(entries.map((entry) => entry.name)).size !== entries.length) {
    throw new ParseError("hostile", "the file lists the same part twice, which only a forged archive does");
  }
  const byPosition = [...entries].sort((a, b) => a.dataStart - b.dataStart);
  let previousEnd = 0;
  for (const entry of byPosition) {
    const end = entry.dataStart + entry.compressedSize;
    if (end > directoryOffset) throw corrupt();
    // Overlapping entries are how small zip bombs reuse one compressed kernel many times.
    if (entry.dataStart < previousEnd) {
      throw new ParseError("hostile", "the file's parts overlap one another, as in a zip bomb");
    }
    previousEnd = end;
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.method === 0 && entry.size !== entry.compressedSize) throw corrupt();
    // The slack covers tiny entries, whose block headers weigh more than the ratio allows for.
    if (entry.method === 8 && entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
      throw new ParseError("hostile", "the file declares more data than its compressed parts can hold");
    }
    total += entry.size;
  }
  if (total > limits.maxInflatedBytes) {
    const megabytes = Math.round(limits.maxInflatedBytes / 1024 / 1024);
    throw new ParseError("too_large", `the file expands to more than ${megabytes} MB`);
  }
}

function inflateExactly(data: Uint8Array, size: number, name: string): Uint8Array {
  const out = new Uint8Array(size);
  let written = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    if (written + chunk.length > size) {
      throw new ParseError("hostile", `the part ${name} inflates to more than it declares`);
    }
    out.set(chunk, written);
    written += chunk.length;
    finished ||= final;
  });
  try {
    for (let at = 0; at < data.length && !finished; at += INFLATE_CHUNK) {
      const end = Math.min(at + INFLATE_CHUNK, data.length);
      inflater.push(data.subarray(at, end), end === data.length);
    }
  } catch (error) {
    if (error instanceof ParseError) throw error;
    throw new ParseError("corrupt", `the part ${name} is damaged`);
  }
  if (written !== size) throw new ParseError("corrupt", `the part ${name} is shorter than it declares`);
  return out;
}

/** As `inflateExactly`, through DecompressionStream, `INFLATE_CHUNK` compressed bytes fed at a time. */
async function inflateNatively(data: Uint8Array, size: number, name: string): Promise<Uint8Array> {
  let at = 0;
  const compressed = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= data.length) return controller.close();
      controller.enqueue(data.slice(at, at + INFLATE_CHUNK));
      at += INFLATE_CHUNK;
    },
  });
  const reader = compressed.pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const out = new Uint8Array(size);
  let written = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (written + chunk.value.length > size) {
        throw new ParseError("hostile", `the part ${name} inflates to more than it declares`);
      }
      out.set(chunk.value, written);
      written += chunk.value.length;
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (error instanceof ParseError) throw error;
    throw new ParseError("corrupt", `the part ${name} is damaged`);
  }
  if (written !== size) throw new ParseError("corrupt", `the part ${name} is shorter than it declares`);
  return out;
}

/**
 * An OLE (CFB) container in place of a zip: Office stores password-protected OOXML that way
 * (an "EncryptedPackage" stream); otherwise it is a legacy binary .doc/.ppt.
 */
function oleContainerError(bytes: Uint8Array): ParseError {
  return containsUtf16(bytes, "EncryptedPackage")
    ? new ParseError("encrypted", "the document is password-protected")
    : new ParseError(
        "unsupported",
        "the file is a legacy binary Office document (.doc/.ppt), not DOCX or PPTX",
      );
}

function containsUtf16(bytes: Uint8Array, text: string): boolean {
  const needle = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) needle[i * 2] = text.charCodeAt(i);
  outer: for (let at = 0; at + needle.length <= bytes.length; at++) {
    for (let j = 0; j < needle.length; j++) if (bytes[at + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

function readUint64(view: DataView, at: number): number {
  const value = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
  if (!Number.isSafeInteger(value)) throw corrupt();
  return value;
}

function corrupt(): ParseError {
  return new ParseError("corrupt", "the file is a damaged zip container");
}
