import { describe, expect, it } from "vitest";
import { highlightRange, unitOfFilename } from "./units";

describe("a citation's source", () => {
  it("counts slides in presentations, pages in PDFs, sections elsewhere", () => {
    expect(unitOfFilename("Deck.PPTX")).toBe("slide");
    expect(unitOfFilename("paper.pdf")).toBe("page");
    expect(["notes.md", "report.docx", "page.html", "readme.txt", "noextension"].map(unitOfFilename)).toEqual(
      ["section", "section", "section", "section", "section"],
    );
  });

  it("highlights the excerpt inside the cited chunk, not an earlier repetition of it", () => {
    const text = "Same words. Other text. Same words. The end.";
    expect(highlightRange({ text, cited: { start: 24, end: text.length } }, "Same words.")).toEqual({
      start: 24,
      end: 35,
    });
  });

  it("falls back to the cited chunk when the excerpt is not in the text", () => {
    expect(highlightRange({ text: "abcdef", cited: { start: 2, end: 4 } }, "missing")).toEqual({
      start: 2,
      end: 4,
    });
  });
});
