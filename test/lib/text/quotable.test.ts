// What is never quoted as an answer: reference lists and a title page's front matter, judged on
// the text alone (chunks indexed before the tagging are read the same way), and prose that only
// looks like them is still quoted.
import { describe, expect, it } from "vitest";
import {
  isReferenceEntry,
  looksLikeHeading,
  quotableBlocks,
  unquotableReason,
} from "../../../src/lib/text/quotable";

describe("quotable text", () => {
  it("reads reference entries by their marks, and prose that cites as prose", () => {
    expect(isReferenceEntry("[7] V. Bala, E. Duesterwald, and S. Banerjia. Dynamo: A transparent")).toBe(
      true,
    );
    expect(
      isReferenceEntry(
        "Davis, F. D. (1989). Perceived usefulness, perceived ease of use, and user acceptance of information technology. MIS Quarterly, 13(3), 319-340.",
      ),
    ).toBe(true);
    expect(
      isReferenceEntry(
        "Extensible Trace Interpreter. In Proceedings of the International Conference on Virtual Execution Environments, pages 83–93. ACM Press, 2007.",
      ),
    ).toBe(true);
    expect(
      isReferenceEntry(
        "Open-domain question answering (QA) (Voorhees, 1999) is a task that answers factoid questions using a large collection of documents (Chen et al., 2017).",
      ),
    ).toBe(false);
    expect(isReferenceEntry("In 2006, J. K. Rowling published a new book with Bloomsbury Press.")).toBe(
      false,
    );
  });

  it("reads a title page's authors, addresses and keywords as front matter, not a sentence that names people", () => {
    expect(
      unquotableReason("Zejiang Shen1 ( ), Ruochen Zhang2, Melissa Dell3, Jacob Carlson3, and Weining Li5"),
    ).toBe("front_matter");
    expect(unquotableReason("Mozilla Corporation∗ {gal,brendan,shaver}@mozilla.com")).toBe("front_matter");
    expect(unquotableReason("Keywords: Document Image Analysis · Deep Learning · Toolkit.")).toBe(
      "front_matter",
    );
    expect(unquotableReason("arXiv:2004.04906v3 [cs.CL] 30 Sep 2020")).toBe("furniture");
    expect(
      unquotableReason("The tour visited Paris, London, New York City, Los Angeles and Rome."),
    ).toBeUndefined();
    expect(unquotableReason("Contact support at help@example.com for a refund.")).toBeUndefined();
    expect(unquotableReason("Table 1 Potentiodynamic polarization data for stainless steel.")).toBe(
      "caption",
    );
    expect(unquotableReason("Table 1 shows the polarization data.")).toBeUndefined();
  });

  it("leaves out a chunk's headings, reference list and captions whole, and keeps its body", () => {
    expect(looksLikeHeading("Dense Passage Retrieval for Open-Domain Question Answering")).toBe(true);
    expect(looksLikeHeading("The retriever encodes every passage once")).toBe(false);
    const chunk = [
      "Trace-based Just-in-Time Type Specialization for Dynamic Languages",
      "Trace trees cover the hot paths of a loop.",
      '01"Figure 10. Speedup vs. a baseline interpreter. Higher is better.',
      "References",
      "techniques, and tools, 2006.",
      "Appendix A Training Details",
      "We train for 40 epochs.",
    ].join("\n\n");
    expect(quotableBlocks(chunk)).toEqual([
      "Trace trees cover the hot paths of a loop.",
      "We train for 40 epochs.",
    ]);
    // A paragraph that names copyright is prose; a notice is not.
    expect(quotableBlocks("The copyright of the songs passed to his widow.")).toHaveLength(1);
    expect(quotableBlocks("© 2009 ACM. All rights reserved.")).toEqual([]);
  });
});
