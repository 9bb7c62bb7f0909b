import { afterEach, describe, expect, it, vi } from "vitest";
import { parseDocx } from "../../../src/ingest/parse/docx";
import { parsePptx } from "../../../src/ingest/parse/pptx";
import { type ParsedDocument, ParseError, type ParseFailureReason } from "../../../src/ingest/parse/types";
import { readCorpus } from "../../helpers/corpus";

const parsers = { parseDocx, parsePptx };

async function failureOf(parse: Promise<ParsedDocument>): Promise<ParseError> {
  try {
    await parse;
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error("expected a ParseError");
}

const protectedMessage = /^the document is password-protected$/;
// poc-xmlbomb.xlsx is a spreadsheet whose shared strings are a billion-laughs bomb: it is never read.
const failures: [keyof typeof parsers, string, ParseFailureReason, RegExp][] = [
  ["parseDocx", "bad/zbsm.zip", "hostile", /overlap/],
  ["parsePptx", "bad/zbsm.zip", "hostile", /overlap/],
  ["parseDocx", "bad/testWORD_protected_passtika.docx", "encrypted", protectedMessage],
  ["parsePptx", "bad/testWORD_protected_passtika.docx", "encrypted", protectedMessage],
  ["parseDocx", "bad/poc-xmlbomb.xlsx", "unsupported", /not a Word document/],
  ["parsePptx", "bad/poc-xmlbomb.xlsx", "unsupported", /not a PowerPoint presentation/],
  ["parsePptx", "bad/ExternalEntityInText.docx", "hostile", /XML entities/],
  // The other format: refused on its main part's root element, before its body is read.
  ["parsePptx", "docx/handbook-872p.docx", "unsupported", /not a PowerPoint presentation/],
  ["parseDocx", "pptx/HowWeRefactor.pptx", "unsupported", /not a Word document/],
];

describe("hostile zip and OOXML files", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  for (const [parser, file, reason, message] of failures) {
    it(`${parser} fails ${file} cleanly (${reason})`, async () => {
      const bytes = await readCorpus(file);
      const error = await failureOf(parsers[parser](bytes));
      expect(error.reason).toBe(reason);
      expect(error.message).toMatch(message);
    });
  }

  it("parseDocx refuses ExternalEntityInText.docx for its entity declarations and fetches nothing", async () => {
    const bytes = await readCorpus("bad/ExternalEntityInText.docx");
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const error = await failureOf(parseDocx(bytes));
    expect(error.reason).toBe("hostile");
    expect(error.message).toMatch(/XML entities/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("says that files which are not zips at all are corrupt", async () => {
    for (const file of ["bad/qpdf-pages-loop.pdf", "bad/jsoup-fuzz-1695-deep-nesting.html"]) {
      const bytes = await readCorpus(file);
      expect((await failureOf(parseDocx(bytes))).reason).toBe("corrupt");
      expect((await failureOf(parsePptx(bytes))).reason).toBe("corrupt");
    }
  });
});
