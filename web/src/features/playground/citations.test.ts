import { describe, expect, it } from "vitest";
import type { Citation } from "./answer-stream";
import { segmentAnswer, sourcesOf } from "./citations";

const cite = (index: number, page: number | null = index): Citation => ({
  index,
  document_id: `doc_${index}`,
  filename: `file-${index}.pdf`,
  page,
  section: null,
  excerpt: `excerpt ${index}`,
  score: 1,
  chunk_id: `chk_${index}`,
});

describe("segmentAnswer", () => {
  it("turns each [n] marker into its citation and keeps the text around it", () => {
    const [one, two] = [cite(1), cite(2, 7)];
    expect(segmentAnswer("A [1] and B [2][1].", [one, two])).toEqual([
      { type: "text", text: "A " },
      { type: "citation", citation: one },
      { type: "text", text: " and B " },
      { type: "citation", citation: two },
      { type: "citation", citation: one },
      { type: "text", text: "." },
    ]);
  });

  it("leaves as text a marker whose citation has not arrived, and brackets that are no marker", () => {
    expect(segmentAnswer("See [3] and [x].", [cite(1)])).toEqual([
      { type: "text", text: "See [3] and [x]." },
    ]);
  });
});

describe("sourcesOf", () => {
  it("lists each citation once, by number", () => {
    expect(sourcesOf([cite(2), cite(1), cite(2)]).map((citation) => citation.index)).toEqual([1, 2]);
  });
});
