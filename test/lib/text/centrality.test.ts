import { describe, expect, it } from "vitest";
import { lexRank, mostCentral, tfIdfVectors } from "../../../src/lib/text/centrality";

const words = (text: string) => text.toLowerCase().split(/\W+/).filter(Boolean);

describe("LexRank centrality", () => {
  const sentences = [
    "the cat sat on the mat",
    "a cat sat near the mat all day",
    "the cat liked the mat",
    "stock markets fell sharply on monday",
    "the cat and the mat were friends",
  ].map(words);

  it("ranks the sentences most like the others highest and an outlier lowest", () => {
    const scores = lexRank(tfIdfVectors(sentences));
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const lowest = scores.indexOf(Math.min(...scores));
    expect(lowest).toBe(3);
  });

  it("skips a sentence that repeats one already chosen", () => {
    const repeated = [...sentences, words("the cat sat on the mat")];
    const vectors = tfIdfVectors(repeated);
    const chosen = mostCentral(vectors, 3).map(({ index }) => index);
    expect(chosen).toHaveLength(3);
    expect(chosen.includes(0) && chosen.includes(5)).toBe(false);
  });

  it("gives every sentence the same share when none resembles another", () => {
    const scores = lexRank(tfIdfVectors([["alpha"], ["beta"], ["gamma"]]));
    for (const score of scores) expect(score).toBeCloseTo(1 / 3, 6);
  });
});
