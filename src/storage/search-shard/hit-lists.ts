/**
 * Where a search hit stood in the ranked lists that found it: plain data, shared by the shard, the
 * fusion and the answerer (which reads no Workers type through it).
 */

/** Where a hit stood in one ranked list of a search: 1-based rank, and the list's raw score. */
export interface ListPlace {
  rank: number;
  score: number;
}

/**
 * The lists of a search that found a hit (bm25 keyword, vector), with its place in each; a list
 * that did not find it is absent. Hybrid search fetches `candidates` per list, so a rank can
 * exceed topK.
 */
export interface HitLists {
  keyword?: ListPlace;
  vector?: ListPlace;
}
