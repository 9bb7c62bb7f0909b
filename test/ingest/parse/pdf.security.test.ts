import { afterEach, describe, expect, it, vi } from "vitest";
import { parsePdf } from "../../../src/ingest/parse/pdf";
import { assertSafePdfStructure } from "../../../src/ingest/parse/pdf-structure";
import { type ParsedDocument, ParseError } from "../../../src/ingest/parse/types";
import { readCorpus } from "../../helpers/corpus";

/**
 * Parses a hostile file, which must settle: text or a ParseError, nothing else. A parser that followed
 * the loop or the nesting would overflow the stack or outlast the test's timeout.
 */
async function settle(path: string): Promise<ParsedDocument | ParseError> {
  const bytes = await readCorpus(path);
  return parsePdf(bytes).catch((error: unknown) => {
    if (error instanceof ParseError) return error;
    throw error;
  });
}

describe("hostile PDFs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("refuses a page tree whose /Kids loop back on themselves", async () => {
    const outcome = await settle("bad/qpdf-pages-loop.pdf");
    expect(outcome).toBeInstanceOf(ParseError);
    expect((outcome as ParseError).reason).toBe("hostile");
    expect((outcome as ParseError).message).toMatch(/page tree loops/);
  });

  it("refuses pathologically deep nesting (CVE-2018-9918) without overflowing the stack", async () => {
    const outcome = await settle("bad/qpdf-issue-202-deep-nesting.pdf");
    expect(outcome).toBeInstanceOf(ParseError);
    expect((outcome as ParseError).reason).toBe("hostile");
    expect((outcome as ParseError).message).toMatch(/deep/);
  });

  it("keeps reading ordinary files: the structure checks pass every PDF of the corpus", async () => {
    for (const path of ["pdf/tracemonkey.pdf", "pdf/irs-irm-2.3.59-400p.pdf", "pdf/helloworld-bad.pdf"]) {
      expect(() => assertSafePdfStructure(new Uint8Array(0))).not.toThrow();
      const bytes = await readCorpus(path);
      expect(() => assertSafePdfStructure(bytes), path).not.toThrow();
    }
  });

  it("finds a page tree's loop wherever the file's reading windows cut its objects", async () => {
    const bytes = await readCorpus("bad/qpdf-pages-loop.pdf");
    for (const window of [17, 64, 251, 4096]) {
      expect(() => assertSafePdfStructure(bytes, window), `${window} bytes a window`).toThrow(
        /page tree loops/,
      );
    }
  });

  it("checks a large file a window at a time, never decoding it whole (a 3.6 MB PDF was one string)", async () => {
    const bytes = await readCorpus("pdf/irs-irm-2.3.59-400p.pdf");
    const decode = vi.spyOn(TextDecoder.prototype, "decode");
    expect(() => assertSafePdfStructure(bytes)).not.toThrow();
    expect(decode).toHaveBeenCalled();
    const largest = Math.max(...decode.mock.calls.map(([input]) => (input as Uint8Array).byteLength));
    expect(largest).toBeLessThanOrEqual(1024 * 1024);
  });
});
