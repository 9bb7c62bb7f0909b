import { describe, expect, it } from "vitest";
import { TopK } from "../../../../src/providers/vector/embedded/top-k";
import { seededRandom } from "../../../helpers/vectors";

/** The ids of the k highest scores, by a full sort: the reference the heap is checked against. */
function sortedTopK(scores: number[], k: number): number[] {
  return scores
    .map((score, id) => ({ score, id }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map(({ id }) => id);
}

function heapTopK(scores: number[], k: number): number[] {
  const best = new TopK(k);
  scores.forEach((score, id) => {
    best.offer(score, id);
  });
  return best.keptIds();
}

const ascending = (ids: number[]) => [...ids].sort((a, b) => a - b);

describe("top-k heap", () => {
  it("keeps the same ids as a full sort on random scores, for every size up to the input's", () => {
    const random = seededRandom(7);
    for (const n of [1, 2, 3, 10, 100, 1000]) {
      const scores = Array.from({ length: n }, random);
      for (const k of new Set([1, 2, 3, 7, 16, 56, n - 1, n].filter((k) => k >= 1 && k <= n))) {
        expect(ascending(heapTopK(scores, k)), `n=${n} k=${k}`).toEqual(ascending(sortedTopK(scores, k)));
      }
    }
  });

  it("keeps the k highest scores when many are tied", () => {
    const random = seededRandom(11);
    // Scores among 5 values only: which tied id is kept is free, the scores kept are not.
    const scores = Array.from({ length: 500 }, () => Math.floor((random() + 0.5) * 5));
    for (const k of [1, 50, 99, 100, 101, 250]) {
      const kept = heapTopK(scores, k);
      expect(new Set(kept).size).toBe(k);
      const keptScores = kept.map((id) => scores[id]!).sort((a, b) => b - a);
      expect(keptScores, `k=${k}`).toEqual(sortedTopK(scores, k).map((id) => scores[id]!));
    }
  });

  it("keeps everything offered while it has room, and nothing at size 0", () => {
    const scores = [0.3, -1, 0.9];
    expect(ascending(heapTopK(scores, 3))).toEqual([0, 1, 2]);
    const roomy = new TopK(10);
    roomy.offer(0.5, 4);
    expect(roomy.keptIds()).toEqual([4]);
    expect(heapTopK(scores, 0)).toEqual([]);
  });
});
