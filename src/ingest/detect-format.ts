import type { DocumentFormat } from "../storage/schema";
import { decodeText, looksLikeText } from "./parse/text";

const byExtension: Record<string, DocumentFormat> = {
  pdf: "pdf",
  docx: "docx",
  pptx: "pptx",
  html: "html",
  htm: "html",
  md: "md",
  markdown: "md",
  txt: "txt",
};

export const contentTypes: Record<DocumentFormat, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  txt: "text/plain; charset=utf-8",
};

export const SUPPORTED_TYPES_SENTENCE =
  "PDF (.pdf), Word (.docx), PowerPoint (.pptx), HTML (.html, .htm), Markdown (.md) and text (.txt)";

export function formatFromFilename(filename: string): DocumentFormat | null {
  const extension = filename.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return extension ? (byExtension[extension] ?? null) : null;
}

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
  signature.every((byte, i) => bytes[at + i] === byte);

const ZIP = [0x50, 0x4b, 0x03, 0x04];
// Password-protected DOCX and PPTX are OLE compound files holding the encrypted package:
// they are let through so that ingestion can say the document is protected.
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [...new TextEncoder().encode("%PDF-")];

function findPdfHeader(bytes: Uint8Array): boolean {
  // The header may follow a little junk; readers look in the first kilobyte.
  const limit = Math.min(bytes.length - PDF.length, 1024);
  for (let i = 0; i <= limit; i++) if (startsWith(bytes, PDF, i)) return true;
  return false;
}

/**
 * What a file's first bytes say it is, when that is not what its extension claims: a short code the
 * console turns into words ("a program", "an image"…). `unknown`: binary content of no known kind.
 */
export const detectedTypes = [
  "pdf",
  "docx",
  "pptx",
  "office_document",
  "legacy_office",
  "zip",
  "archive",
  "executable",
  "image",
  "audio_video",
  "html",
  "text",
  "unknown",
] as const;
export type DetectedType = (typeof detectedTypes)[number];

const ascii = (text: string) => [...new TextEncoder().encode(text)];
const containsAscii = (bytes: Uint8Array, text: string) => {
  const needle = ascii(text);
  for (let i = 0; i + needle.length <= bytes.length; i++) if (startsWith(bytes, needle, i)) return true;
  return false;
};

const signatures: [DetectedType, number[], number?][] = [
  ["executable", [0x4d, 0x5a]], // MZ: Windows programs and libraries
  ["executable", [0x7f, 0x45, 0x4c, 0x46]], // ELF
  ["executable", [0xcf, 0xfa, 0xed, 0xfe]], // Mach-O 64-bit
  ["executable", [0xce, 0xfa, 0xed, 0xfe]], // Mach-O 32-bit
  ["executable", [0xca, 0xfe, 0xba, 0xbe]], // Mach-O universal, Java classes
  ["executable", [0x00, 0x61, 0x73, 0x6d]], // WebAssembly
  ["image", [0x89, 0x50, 0x4e, 0x47]],
  ["image", [0xff, 0xd8, 0xff]],
  ["image", ascii("GIF8")],
  ["image", ascii("WEBP"), 8],
  ["image", [0x49, 0x49, 0x2a, 0x00]],
  ["image", [0x4d, 0x4d, 0x00, 0x2a]],
  ["audio_video", ascii("ftyp"), 4],
  ["audio_video", ascii("ID3")],
  ["audio_video", ascii("OggS")],
  ["audio_video", [0x1a, 0x45, 0xdf, 0xa3]],
  ["audio_video", ascii("WAVE"), 8],
  ["archive", [0x1f, 0x8b]],
  ["archive", ascii("7z")],
  ["archive", ascii("Rar!")],
];

/** What a file's content is, from its first bytes (CONTENT_SNIFF_BYTES): a magic number, or text. */
export function detectContentType(bytes: Uint8Array): DetectedType {
  if (findPdfHeader(bytes)) return "pdf";
  if (startsWith(bytes, ZIP)) {
    // An OOXML package names its parts in the local file headers, near the start.
    if (containsAscii(bytes, "word/")) return "docx";
    if (containsAscii(bytes, "ppt/")) return "pptx";
    if (containsAscii(bytes, "xl/") || containsAscii(bytes, "[Content_Types].xml")) return "office_document";
    return "zip";
  }
  if (startsWith(bytes, OLE)) return "legacy_office";
  for (const [type, signature, at] of signatures) if (startsWith(bytes, signature, at)) return type;
  if (looksLikeText(bytes)) {
    const head = decodeText(bytes.subarray(0, CONTENT_SNIFF_BYTES)).trimStart().slice(0, 1024);
    return /^(<!doctype html|<html|<head|<body)/i.test(head) ? "html" : "text";
  }
  return "unknown";
}

/** How much of a file's start is read to confirm its type. */
export const CONTENT_SNIFF_BYTES = 65_536;

/**
 * Whether a file is plausibly of the format its extension claims, from its first bytes
 * (CONTENT_SNIFF_BYTES) and its size. Empty files pass: ingestion says they are empty.
 */
export function contentMatchesFormat(format: DocumentFormat, bytes: Uint8Array, size: number): boolean {
  if (size === 0) return true;
  switch (format) {
    case "pdf":
      return findPdfHeader(bytes);
    case "docx":
    case "pptx": {
      if (startsWith(bytes, OLE)) return true;
      // A presentation named .docx (or the reverse) says so in its part names.
      const detected = startsWith(bytes, ZIP) ? detectContentType(bytes) : undefined;
      return detected !== undefined && detected !== (format === "docx" ? "pptx" : "docx");
    }
    case "html":
      return looksLikeText(bytes) && /<[a-z!]/i.test(decodeText(bytes.subarray(0, CONTENT_SNIFF_BYTES)));
    case "md":
    case "txt":
      return looksLikeText(bytes);
  }
}
