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

  it("checks a large file a window at a time, never reading it as one string (a 3.6 MB PDF was one)", async () => {
    const bytes = await readCorpus("pdf/irs-irm-2.3.59-400p.pdf");
    const exec = vi.spyOn(RegExp.prototype, "exec");
    expect(() => assertSafePdfStructure(bytes)).not.toThrow();
    const searched = exec.mock.calls.map(([input]) => String(input).length);
    vi.restoreAllMocks();
    expect(searched.length).toBeGreaterThan(0);
    // A window (1 MiB) and at most one object's start carried from the window before (1 MiB + 64).
    expect(Math.max(...searched)).toBeLessThanOrEqual(2 * 1024 * 1024 + 64);
    expect(Math.max(...searched)).toBeLessThan(bytes.length);
  });

  // A run is counted only around every 257th byte (pdf-structure.ts): wherever it lies, whatever it
  // holds, a run of 257 openers must be found and one of 256 let through.
  it("refuses 257 arrays or dictionaries opened in a row wherever they lie, and lets 256 through", () => {
    const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
    // Openers mixed as a file might write them: `[`, `<<`, white space between some.
    const run = (count: number) =>
      Array.from({ length: count }, (_, i) => (i % 3 === 0 ? "<<" : "[") + (i % 5 === 0 ? " \n" : "")).join(
        "",
      );
    for (const offset of [0, 1, 2, 100, 255, 256, 257, 258, 400, 513, 514, 1000]) {
      const before = "x".repeat(offset);
      for (const [count, refused] of [
        [256, false],
        [257, true],
      ] as const) {
        const bytes = ascii(`${before}${run(count)}/Type/Catalog>>`);
        const check = () => assertSafePdfStructure(bytes);
        if (refused) expect(check, `${count} openers after ${offset} bytes`).toThrow(/deep/);
        else expect(check, `${count} openers after ${offset} bytes`).not.toThrow();
      }
      // At the very end of the file too, with nothing after the run.
      expect(() => assertSafePdfStructure(ascii(`${before}${run(257)}`))).toThrow(/deep/);
      // A lone `<` or any other byte ends a run: two runs of 200 are not one of 401.
      for (const breaker of ["<", "a", "(", "/N"]) {
        expect(() =>
          assertSafePdfStructure(ascii(`${before}${run(200)}${breaker}${run(200)}`)),
        ).not.toThrow();
      }
      // `<<<` is one dictionary and a lone `<`, which ends the run; `<<<<` is two dictionaries.
      expect(() =>
        assertSafePdfStructure(ascii(`${before}${"[".repeat(200)}<<<${"[".repeat(100)}`)),
      ).not.toThrow();
      expect(() =>
        assertSafePdfStructure(ascii(`${before}${"[".repeat(200)}<<<<${"[".repeat(100)}`)),
      ).toThrow(/deep/);
    }
    // The shortest run refused (257 bytes of `[`) at every offset a byte looked at can fall on.
    for (let offset = 0; offset <= 300; offset++) {
      const bytes = ascii(`${"x".repeat(offset)}${"[".repeat(257)}x${"[".repeat(256)}x`);
      expect(() => assertSafePdfStructure(bytes), `257 × [ after ${offset} bytes`).toThrow(/deep/);
      // Right after a shorter run that a byte looked at fell in.
      const after = ascii(`${"x".repeat(offset)}${"[".repeat(20)}x${"[".repeat(257)}x`);
      expect(() => assertSafePdfStructure(after), `257 × [ after 20 at ${offset}`).toThrow(/deep/);
      const fine = ascii(`${"x".repeat(offset)}${"[".repeat(256)}x${"[".repeat(256)}x`);
      expect(() => assertSafePdfStructure(fine), `256 × [ after ${offset} bytes`).not.toThrow();
    }
  });
});
