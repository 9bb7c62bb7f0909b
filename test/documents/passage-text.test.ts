// Chunks overlap (the end of one starts the next): a page's text is read once, and the cited
// chunk's place in it is exact.
import { describe, expect, it } from "vitest";
import { joinPieces, overlapLength, unitOf } from "../../src/services/documents/passage";

describe("joining a page's chunks", () => {
  it("drops what a chunk repeats of the one before", () => {
    const first = "The first sentence of the page. The second sentence carries over.";
    const second = "The second sentence carries over. Then the third one.";
    const { text, ranges } = joinPieces([first, second]);
    expect(text).toBe(
      "The first sentence of the page. The second sentence carries over. Then the third one.",
    );
    expect(text.slice(ranges[1]!.start, ranges[1]!.end)).toBe(second);
    expect(text.slice(ranges[0]!.start, ranges[0]!.end)).toBe(first);
  });

  it("keeps chunks that share no overlap apart, and short chance matches are not overlaps", () => {
    expect(joinPieces(["Slide title", "Another shape"]).text).toBe("Slide title\n\nAnother shape");
    expect(overlapLength("ends with the", "the start")).toBe(0);
  });

  it("names the unit of each format", () => {
    expect([unitOf("pdf"), unitOf("pptx"), unitOf("docx"), unitOf("md")]).toEqual([
      "page",
      "slide",
      "section",
      "section",
    ]);
  });
});
