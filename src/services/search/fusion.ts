// Pure: the search service and the tenant's shard object (which fuses inside its search call)
// share this one fusion.

/** Reciprocal rank fusion constant (Cormack et al.): damps the weight of the very first ranks. */
const RRF_K = 60;

/**
 * Fuses ranked lists by reciprocal rank: a hit's score is the sum over the lists of
 * weight / (k + rank). Weights default to 1.
 */
export function fuseByReciprocalRank<Hit extends { id: string }>(
  lists: Hit[][],
  topK: number,
  weights: number[] = [],
): (Hit & { score: number })[] {
  const fused = new Map<string, Hit & { score: number }>();
  lists.forEach((list, which) => {
    const weight = weights[which] ?? 1;
    list.forEach((hit, rank) => {
      const entry = fused.get(hit.id) ?? { ...hit, score: 0 };
      entry.score += weight / (RRF_K + rank + 1);
      fused.set(hit.id, entry);
    });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score).slice(0, topK);
}
