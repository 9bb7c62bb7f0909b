// Pure: the search service and the tenant's shard object (which fuses inside its search call)
// share this one fusion.

/**
 * Fuses two ranked lists by a convex combination of their min-max normalised scores: a chunk scores
 * `keywordWeight × keyword' + (1 − keywordWeight) × vector'`, where x' maps a list's scores onto
 * [0, 1] and a chunk missing from a list gets 0 there. Unlike rank fusion, a chunk far behind in
 * one list cannot overtake a clear leader on a small edge in the other (docs/benchmarks.md).
 * Returns every chunk of either list, best first, with its fused score.
 */
export function fuseByNormalisedScore<T extends { id: string; score: number }>(
  keyword: T[],
  vector: T[],
  keywordWeight: number,
): T[] {
  const fused = new Map<string, T>();
  const add = (list: T[], weight: number) => {
    const scores = list.map((hit) => hit.score);
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    for (const hit of list) {
      // A list whose scores are all equal (one hit, say) gives each of them full marks.
      const normalised = max > min ? (hit.score - min) / (max - min) : 1;
      const entry = fused.get(hit.id) ?? { ...hit, score: 0 };
      entry.score += weight * normalised;
      fused.set(hit.id, entry);
    }
  };
  add(keyword, keywordWeight);
  add(vector, 1 - keywordWeight);
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
