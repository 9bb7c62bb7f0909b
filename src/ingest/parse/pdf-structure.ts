import { latin1 } from "./pdf-syntax";
import { ParseError } from "./types";

// pdf.js repairs a great deal, which is right for damaged files but wrong for files built to hurt
// a reader: those are refused before pdf.js sees them.

/** Dictionaries or arrays opened in a row beyond this are an attack on recursive parsers (CVE-2018-9918). */
const MAX_OPEN_RUN = 256;

const isSpace = (byte: number) =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c;

/** A byte an opening run may hold: `[`, `<` (of `<<`) or white space. */
const mayBeInRun = (byte: number) => byte === 0x5b || byte === 0x3c || isSpace(byte);

/**
 * Whether more than `limit` arrays or dictionaries open in a row (white space between them aside):
 * `[` and `<<` count one each; any other byte ends the run. Such a run spans more than `limit`
 * bytes, all of which may be in a run, so only every (limit + 1)th byte is looked at, and the
 * stretch of such bytes around it counted from its start: a file's few hundred kilobytes of
 * ordinary bytes are skipped, not walked one by one.
 */
function hasOpeningRunOver(bytes: Uint8Array, limit: number): boolean {
  const step = limit + 1;
  for (let probe = limit; probe < bytes.length; probe += step) {
    if (!mayBeInRun(bytes[probe]!)) continue;
    let start = probe;
    while (start > 0 && mayBeInRun(bytes[start - 1]!)) start--;
    // Counted as one pass from the file's start would, from the byte that ended the last run.
    let run = 0;
    let i = start;
    for (; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (byte === 0x5b /* [ */) run++;
      else if (byte === 0x3c /* < */ && bytes[i + 1] === 0x3c) {
        run++;
        i++;
      } else if (!isSpace(byte)) {
        if (run > limit) return true;
        run = 0;
        if (!mayBeInRun(byte)) break;
      }
    }
    if (run > limit) return true;
    // The next run that could be long enough ends past this stretch.
    probe = Math.max(probe, i);
  }
  return false;
}

/** Bytes of the file decoded at a time: a large PDF is never held as one string (a 50 MB file was 100 MB of it). */
const SCAN_WINDOW_BYTES = 1024 * 1024;

/** Most characters of one object's body read: a page-tree node's dictionary comes first; a picture's bytes follow it. */
const MAX_OBJECT_BODY = 1024 * 1024;

/**
 * The file's objects in order, as a match of `OBJECT` over the whole file decoded as Latin-1, read
 * `window` bytes at a time: an object cut by a window's end is carried into the next (its body
 * beyond MAX_OBJECT_BODY left out).
 */
function* objectsOf(bytes: Uint8Array, window: number): Generator<{ id: string; body: string }> {
  // An object (`12 0 obj … endobj`), and the start of one.
  const OBJECT = /(\d+)\s+\d+\s+obj\b([\s\S]*?)\bendobj/g;
  const OBJECT_START = /\d+\s+\d+\s+obj\b/g;
  let pending = "";
  for (let at = 0; at < bytes.length; at += window) {
    // Each byte one character (as TextDecoder's "latin1", which is windows-1252, does not keep
    // 0x80-0x9f; the patterns above read ASCII only, so either finds the same objects).
    const text = pending + latin1(bytes, at, Math.min(bytes.length, at + window));
    let consumed = 0;
    OBJECT.lastIndex = 0;
    for (let match = OBJECT.exec(text); match; match = OBJECT.exec(text)) {
      yield { id: match[1]!, body: match[2]! };
      consumed = OBJECT.lastIndex;
    }
    // What may still begin an object: the first start left, else the last characters (a start cut in two).
    OBJECT_START.lastIndex = consumed;
    const start = OBJECT_START.exec(text)?.index ?? Math.max(consumed, text.length - 64);
    pending = text.slice(start);
    if (pending.length > MAX_OBJECT_BODY + 64) {
      pending = pending.slice(0, MAX_OBJECT_BODY) + pending.slice(-64);
    }
  }
}

/** Whether the page tree, where it is stored uncompressed, leads back into itself. */
function pageTreeHasCycle(bytes: Uint8Array, window: number): boolean {
  const kids = new Map<string, string[]>();
  for (const { id, body } of objectsOf(bytes, window)) {
    if (!/\/Type\s*\/Pages\b/.test(body)) continue;
    const list = body.match(/\/Kids\s*\[([^\]]*)\]/)?.[1] ?? "";
    kids.set(
      id,
      [...list.matchAll(/(\d+)\s+\d+\s+R/g)].map((ref) => ref[1]!),
    );
  }
  const state = new Map<string, "visiting" | "done">();
  const visit = (node: string): boolean => {
    if (state.get(node) === "visiting") return true;
    if (state.get(node) === "done" || !kids.has(node)) return false;
    state.set(node, "visiting");
    const cyclic = kids.get(node)!.some(visit);
    state.set(node, "done");
    return cyclic;
  };
  return [...kids.keys()].some(visit);
}

/**
 * Throws `ParseError("hostile")` for structures built to exhaust or trap a PDF reader, reading the
 * file `window` bytes at a time.
 */
export function assertSafePdfStructure(bytes: Uint8Array, window = SCAN_WINDOW_BYTES): void {
  if (hasOpeningRunOver(bytes, MAX_OPEN_RUN)) {
    throw new ParseError(
      "hostile",
      "the PDF nests its objects pathologically deep and was refused for safety",
    );
  }
  if (pageTreeHasCycle(bytes, window)) {
    throw new ParseError("hostile", "the PDF's page tree loops back on itself and was refused for safety");
  }
}
