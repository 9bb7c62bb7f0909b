import { ParseError } from "./types";

// pdf.js repairs a great deal, which is right for damaged files but wrong for files built to hurt
// a reader: those are refused before pdf.js sees them.

/** Dictionaries or arrays opened in a row beyond this are an attack on recursive parsers (CVE-2018-9918). */
const MAX_OPEN_RUN = 256;

const isSpace = (byte: number) =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c;

function longestOpeningRun(bytes: Uint8Array): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x5b /* [ */) run++;
    else if (byte === 0x3c /* < */ && bytes[i + 1] === 0x3c) {
      run++;
      i++;
    } else if (!isSpace(byte)) {
      if (run > longest) longest = run;
      run = 0;
    }
  }
  return Math.max(longest, run);
}

/** Whether the page tree, where it is stored uncompressed, leads back into itself. */
function pageTreeHasCycle(bytes: Uint8Array): boolean {
  const source = new TextDecoder("latin1").decode(bytes);
  const kids = new Map<string, string[]>();
  for (const match of source.matchAll(/(\d+)\s+\d+\s+obj\b([\s\S]*?)\bendobj/g)) {
    const body = match[2]!;
    if (!/\/Type\s*\/Pages\b/.test(body)) continue;
    const list = body.match(/\/Kids\s*\[([^\]]*)\]/)?.[1] ?? "";
    kids.set(
      match[1]!,
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

/** Throws `ParseError("hostile")` for structures built to exhaust or trap a PDF reader. */
export function assertSafePdfStructure(bytes: Uint8Array): void {
  if (longestOpeningRun(bytes) > MAX_OPEN_RUN) {
    throw new ParseError(
      "hostile",
      "the PDF nests its objects pathologically deep and was refused for safety",
    );
  }
  if (pageTreeHasCycle(bytes)) {
    throw new ParseError("hostile", "the PDF's page tree loops back on itself and was refused for safety");
  }
}
