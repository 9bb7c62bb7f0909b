// Pure: the search service and the tenant's shard object (which fuses inside its search call)
// share this one fusion.
import type { HitLists } from "../../storage/search-shard/hit-lists";

/** Each hit of a list with its 1-based rank and raw score in that list: what fusion keeps of it. */
export function withListRanks<T extends { score: number }>(
  list: T[],
  name: keyof HitLists,
): (T & { lists: HitLists })[] {
  return list.map((hit, i) => ({ ...hit, lists: { [name]: { rank: i + 1, score: hit.score } } }));
}

/**
 * Fuses two ranked lists by a convex combination of their min-max normalised scores: a chunk scores
 * `keywordWeight × keyword' + (1 − keywordWeight) × vector'`, where x' maps a list's scores onto
 * [0, 1] and a chunk missing from a list gets 0 there. Unlike rank fusion, a chunk far behind in
 * one list cannot overtake a clear leader on a small edge in the other (docs/benchmarks.md).
 * Returns every chunk of either list, best first, with its fused score and, in `lists`, its rank
 * and raw score in each list that found it (what the extractive answerer weighs, at no extra read).
 */
export function fuseByNormalisedScore<T extends { id: string; score: number }>(
  keyword: T[],
  vector: T[],
  keywordWeight: number,
): (T & { lists: HitLists })[] {
  const fused = new Map<string, T & { lists: HitLists }>();
  const add = (list: T[], weight: number, name: keyof HitLists) => {
    const scores = list.map((hit) => hit.score);
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    for (const [i, hit] of list.entries()) {
      // A list whose scores are all equal (one hit, say) gives each of them full marks.
      const normalised = max > min ? (hit.score - min) / (max - min) : 1;
      const entry = fused.get(hit.id) ?? { ...hit, score: 0, lists: {} };
      entry.score += weight * normalised;
      entry.lists[name] = { rank: i + 1, score: hit.score };
      fused.set(hit.id, entry);
    }
  };
  add(keyword, keywordWeight, "keyword");
  add(vector, 1 - keywordWeight, "vector");
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
