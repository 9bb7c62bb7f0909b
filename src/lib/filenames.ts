/** Longest stored file name, in UTF-8 bytes: what common file systems accept. */
export const MAX_FILENAME_BYTES = 255;

const FALLBACK_FILENAME = "upload";

// Control characters, line and paragraph separators, bidirectional overrides (which make
// "txt.exe" look like "exe.txt") and lone surrogates (which encodeURIComponent cannot encode).
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;

// An extension longer than this is not one worth keeping whole when a name is cut.
const MAX_EXTENSION_CHARS = 16;

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

// The longest prefix of `text` within `maxBytes` UTF-8 bytes, never splitting a character.
function headWithinBytes(text: string, maxBytes: number): string {
  let head = "";
  let bytes = 0;
  for (const character of text) {
    bytes += utf8Length(character);
    if (bytes > maxBytes) break;
    head += character;
  }
  return head;
}

/**
 * A client's file name made safe to store and send back: the last path segment only, no control
 * or bidirectional characters, spaces collapsed, at most MAX_FILENAME_BYTES (the extension is kept
 * when the name is cut), and `upload` when nothing usable is left.
 */
export function normaliseFilename(raw: string): string {
  const lastSegment = raw.normalize("NFC").split(/[/\\]/).at(-1) ?? "";
  const name = lastSegment.replace(/\s+/g, " ").replace(UNSAFE_CHARACTERS, "").trim();
  if (/^\.*$/.test(name)) return FALLBACK_FILENAME;
  if (utf8Length(name) <= MAX_FILENAME_BYTES) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 && name.length - dot <= MAX_EXTENSION_CHARS ? name.slice(dot) : "";
  const stem = name.slice(0, name.length - extension.length);
  return headWithinBytes(stem, MAX_FILENAME_BYTES - utf8Length(extension)).trimEnd() + extension;
}

// RFC 8187 allows fewer characters unescaped than encodeURIComponent leaves alone.
const encodeRfc8187 = (text: string) =>
  encodeURIComponent(text).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );

// For clients that ignore filename*: ASCII letters kept (accents dropped), anything else `_`.
const asciiFallback = (name: string) =>
  name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\x20-\x7e]|["\\%]/g, "_");

/**
 * `Content-Disposition` for downloading a file: always an attachment (never rendered inline),
 * with an ASCII `filename` and the exact UTF-8 `filename*`. The name is normalised again, so a
 * name stored before normalisation existed still gives a short, safe header.
 */
export function attachmentDisposition(filename: string): string {
  const name = normaliseFilename(filename);
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}
