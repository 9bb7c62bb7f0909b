import { describe, expect, it } from "vitest";
import { parsePdf } from "../../../src/ingest/parse/pdf";
import { assertSafePdfStructure } from "../../../src/ingest/parse/pdf-structure";
import { type ParsedDocument, ParseError } from "../../../src/ingest/parse/types";
import { readCorpus } from "../../helpers/corpus";

/** Parses a hostile file, which must settle (text or ParseError, nothing else) within `withinMs`. */
async function settleQuickly(path: string, withinMs: number): Promise<ParsedDocument | ParseError> {
  const bytes = await readCorpus(path);
  const started = Date.now();
  const outcome = await parsePdf(bytes).catch((error: unknown) => {
    if (error instanceof ParseError) return error;
    throw error;
  });
  const elapsed = Date.now() - started;
  console.log(
    `${path}: ${outcome instanceof ParseError ? `ParseError(${outcome.reason})` : "text"} in ${elapsed} ms`,
  );
  expect(elapsed).toBeLessThan(withinMs);
  return outcome;
}

describe("hostile PDFs", () => {
  it("refuses a page tree whose /Kids loop back on themselves, quickly", async () => {
    const outcome = await settleQuickly("bad/qpdf-pages-loop.pdf", 5_000);
    expect(outcome).toBeInstanceOf(ParseError);
    expect((outcome as ParseError).reason).toBe("hostile");
    expect((outcome as ParseError).message).toMatch(/page tree loops/);
  });

  it("refuses pathologically deep nesting (CVE-2018-9918) without overflowing the stack", async () => {
    const outcome = await settleQuickly("bad/qpdf-issue-202-deep-nesting.pdf", 5_000);
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
});
