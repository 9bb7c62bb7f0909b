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
    case "pptx":
      return startsWith(bytes, ZIP) || startsWith(bytes, OLE);
    case "html":
      return looksLikeText(bytes) && /<[a-z!]/i.test(decodeText(bytes.subarray(0, CONTENT_SNIFF_BYTES)));
    case "md":
    case "txt":
      return looksLikeText(bytes);
  }
}
