import { describe, expect, it } from "vitest";
import type { PdfSource } from "../../../src/ingest/parse";
import { openPdf, openPdfBatch } from "../../../src/ingest/parse/pdf";
import { readPdfPart, UnsupportedPdf } from "../../../src/ingest/parse/pdf-part";
import { readCorpus } from "../../helpers/corpus";
import { parseErrorOfAsync } from "./expect-parse-error";

/** A file read by ranges, telling whether it was read whole. */
function rangeSource(bytes: Uint8Array) {
  const source = {
    size: bytes.length,
    readWhole: false as boolean,
    read: async (offset: number, length: number) => bytes.slice(offset, offset + length),
    readAll: async () => {
      source.readWhole = true;
      return bytes.slice();
    },
  } satisfies PdfSource & { readWhole: boolean };
  return source;
}

async function wholeText(file: Uint8Array, from: number, to: number) {
  const pdf = await openPdf(file.slice());
  try {
    return await pdf.extractPages(from, to);
  } finally {
    await pdf.close();
  }
}

describe("a large PDF the part reader cannot follow", () => {
  it("is read whole when it is small enough: an encrypted file pdf.js opens without a password", async () => {
    const file = await readCorpus("pdf/copy-protected.pdf");
    await expect(readPdfPart(rangeSource(file), 1, 1)).rejects.toThrow(UnsupportedPdf);
    const source = rangeSource(file);
    const pdf = await openPdfBatch(source, 1, 1, { partAboveBytes: 0 });
    try {
      expect(source.readWhole).toBe(true);
      expect(pdf.heldPages).toBeUndefined();
      const pages = await pdf.extractPages(1, 1);
      expect(pages.blocks.length).toBeGreaterThan(0);
      expect(pages).toEqual(await wholeText(file, 1, 1));
    } finally {
      await pdf.close();
    }
  });

  it("is read whole when its cross-reference offsets miss their objects, as pdf.js repairs them", async () => {
    const original = await readCorpus("pdf/tracemonkey.pdf");
    // Ten bytes after the header: every offset (the table's too) now falls ten bytes short.
    const header = new TextDecoder("latin1").decode(original.subarray(0, 9));
    expect(header.startsWith("%PDF-")).toBe(true);
    const file = new Uint8Array(original.length + 10);
    file.set(original.subarray(0, 9));
    file.set(new TextEncoder().encode("%padding\n"), 9);
    file[18] = 0x0a;
    file.set(original.subarray(9), 19);
    await expect(readPdfPart(rangeSource(file), 1, 2)).rejects.toThrow(UnsupportedPdf);
    const source = rangeSource(file);
    const pdf = await openPdfBatch(source, 1, 2, { partAboveBytes: 0 });
    try {
      expect(source.readWhole).toBe(true);
      const pages = await pdf.extractPages(1, 2);
      expect(pages.blocks.length).toBeGreaterThan(10);
      expect(pages).toEqual(await wholeText(original, 1, 2));
    } finally {
      await pdf.close();
    }
  });

  it("fails with a reason saying why when it is too large to read whole", async () => {
    const file = await readCorpus("pdf/copy-protected.pdf");
    const source = rangeSource(file);
    const error = await parseErrorOfAsync(
      openPdfBatch(source, 1, 1, { partAboveBytes: 0, wholeMaxBytes: file.length - 1 }),
    );
    expect(error.reason).toBe("unsupported");
    expect(error.message).toMatch(
      /too large to read whole, and cannot be read in parts: the PDF is encrypted/,
    );
    expect(source.readWhole).toBe(false);
  });
});
