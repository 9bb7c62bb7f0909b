import { describe, expect, it } from "vitest";
import { splitSentences } from "../../../src/lib/text/sentences";
import { readCorpus } from "../../helpers/corpus";

describe("splitSentences", () => {
  it("joins hard-wrapped lines into sentences that are exact substrings", async () => {
    // Lines 26-50 of the article: hard-wrapped with no blank lines, sentences run across breaks.
    const lines = new TextDecoder().decode(await readCorpus("txt/norwich-city.txt")).split("\n");
    const text = lines.slice(25, 50).join("\n");
    const sentences = splitSentences(text);
    expect(sentences.length).toBeGreaterThan(5);
    for (const sentence of sentences) expect(text).toContain(sentence);
    expect(sentences.some((s) => s.includes("\n"))).toBe(true);
  });

  it("drops footnote references around a sentence and cuts run-on text", () => {
    const sentences = splitSentences("He grew up in Barmouth.[2] He scored twice.[3][4] He left.\n[5]");
    expect(sentences).toEqual(["He grew up in Barmouth.", "He scored twice.", "He left."]);
    const runOn = `${"word ".repeat(300)}end`;
    const pieces = splitSentences(runOn);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(400);
      expect(runOn).toContain(piece);
    }
  });

  it("does not end a sentence at an initial or a title before a name", () => {
    // Each cut quoted half a name: "…by President George W." without "Bush".
    const text =
      "Lee was awarded the medal in 2007 by President George W. Bush. The late Turrell V. Wylie disagreed. " +
      "Dr. Smith met J. R. R. Tolkien. He took vitamin C. then slept.";
    expect(splitSentences(text)).toEqual([
      "Lee was awarded the medal in 2007 by President George W. Bush.",
      "The late Turrell V. Wylie disagreed.",
      "Dr. Smith met J. R. R. Tolkien.",
      "He took vitamin C. then slept.",
    ]);
  });
});
