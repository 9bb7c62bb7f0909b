import { describe, expect, it } from "vitest";
import { assertHasTextLayer, openPdf, parsePdf } from "../../../src/ingest/parse/pdf";
import { DEFAULT_PARSE_LIMITS, ParseError } from "../../../src/ingest/parse/types";
import { readCorpus } from "../../helpers/corpus";
import { parseErrorOfAsync } from "./expect-parse-error";

describe("PDF failures", () => {
  it("refuses an encrypted PDF whose user password is not empty", async () => {
    const error = await parseErrorOfAsync(openPdf(await readCorpus("pdf/libreoffice-writer-password.pdf")));
    expect(error.reason).toBe("encrypted");
    expect(error.message).toBe("the PDF is encrypted");
  });

  it("says a scanned PDF needs OCR instead of returning an empty document", async () => {
    const error = await parseErrorOfAsync(parsePdf(await readCorpus("pdf/loremipsum-flat.pdf")));
    expect(error.reason).toBe("no_text_layer");
    expect(error.message).toContain("OCR would be needed");
  });

  it("decides from the text of a whole document whether it has a text layer", () => {
    expect(() => assertHasTextLayer(0, 1)).toThrow(ParseError);
    expect(() => assertHasTextLayer(0, 0)).toThrow(ParseError);
    // Page numbers alone on a 400-page scan are not a text layer.
    expect(() => assertHasTextLayer(1_092, 400)).toThrow(ParseError);
    expect(() => assertHasTextLayer("Hello, world!".length, 1)).not.toThrow();
    expect(() => assertHasTextLayer(400_000, 400)).not.toThrow();
  });

  it("refuses a file that is not a PDF as corrupt", async () => {
    const error = await parseErrorOfAsync(openPdf(await readCorpus("txt/norwich-city.txt")));
    expect(error.reason).toBe("corrupt");
  });

  it("stops a page batch whose text outgrows maxTextChars", async () => {
    const pdf = await openPdf(await readCorpus("pdf/tracemonkey.pdf"), {
      ...DEFAULT_PARSE_LIMITS,
      maxTextChars: 10_000,
    });
    try {
      expect((await pdf.extractPages(1, 1)).blocks.length).toBeGreaterThan(0);
      const error = await parseErrorOfAsync(pdf.extractPages(1, 14));
      expect(error.reason).toBe("too_large");
    } finally {
      await pdf.close();
    }
  });
});
