import { BlockBuilder } from "./block-builder";
import { DEFAULT_PARSE_LIMITS, type ParsedDocument, ParseError, type ParseLimits } from "./types";

// Only the start of a file is sniffed for its encoding and for binary content. Like git, a NUL
// byte there means binary, while a stray NUL deep inside a large text or HTML file is damage to tolerate.
const SNIFF_BYTES = 8_000;

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/**
 * UTF-16 without a byte order mark: mostly-Latin text then has a zero high byte in most code
 * units, all on one side of each byte pair (even offsets for big-endian, odd for little-endian),
 * and never a zero pair (U+0000), which binary formats are full of.
 */
function sniffUtf16(head: Uint8Array): "utf-16be" | "utf-16le" | undefined {
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0 && head[i + 1] === 0) return undefined;
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = head.length / 2;
  if (evenZeros >= pairs * 0.3 && oddZeros <= evenZeros / 20) return "utf-16be";
  if (oddZeros >= pairs * 0.3 && evenZeros <= oddZeros / 20) return "utf-16le";
  return undefined;
}

/** Whether the bytes read as text (a UTF-16 mark or pattern, or no NUL byte in the sniffed head). */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return true;
  const head = bytes.subarray(0, SNIFF_BYTES);
  return sniffUtf16(head) !== undefined || !head.includes(0);
}

/**
 * Decodes a text file: UTF-16 LE/BE by byte order mark (or by the pattern of zero bytes when
 * the mark is missing), otherwise UTF-8, falling back to Windows-1252 for legacy 8-bit files
 * that are not valid UTF-8. Throws `ParseError("unsupported")` for binary content.
 */
export function decodeText(bytes: Uint8Array): string {
  // The decoders drop a byte order mark that matches their encoding.
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder("utf-16le").decode(bytes);
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder("utf-16be").decode(bytes);
  const head = bytes.subarray(0, SNIFF_BYTES);
  const utf16 = sniffUtf16(head);
  if (utf16) return new TextDecoder(utf16).decode(bytes);
  if (head.includes(0)) throw new ParseError("unsupported", "the file is binary, not text");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/**
 * Parses a plain text file into paragraphs separated by blank lines, or into lines when it has no
 * blank line at all (the one-paragraph-a-line convention of text exported from web pages and editors).
 */
export function parseText(bytes: Uint8Array, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedDocument {
  const text = decodeText(bytes);
  const byBlankLines = text.trim().split(/\n\s*\n/);
  const paragraphs = byBlankLines.length > 1 ? byBlankLines : text.split("\n");
  const out = new BlockBuilder(limits);
  for (const paragraph of paragraphs) out.add("paragraph", paragraph);
  return out.toDocument();
}
