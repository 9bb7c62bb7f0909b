import type { EmbeddedIndex } from "../providers/vector/embedded/embedded-index";
import { fuseByNormalisedScore, withListRanks } from "../services/search/fusion";
import type { ChunkIndex } from "../storage/search-shard/chunk-index";
import type { ScoredChunkHit, ShardSearch } from "../storage/search-shard/search-shard.interface";

/**
 * Keyword, vector or hybrid search over one copy of a tenant's shard (the shard or a replica):
 * bm25 over its full-text index, cosine over its vectors (or the matches of an external store,
 * passed in), fused here. Synchronous: the caller loads the language detector first.
 */
export function searchShardCopy(
  chunks: ChunkIndex,
  index: EmbeddedIndex,
  request: ShardSearch,
): ScoredChunkHit[] {
  const { mode, topK, collectionIds } = request;
  const limit = mode === "hybrid" ? Math.max(request.candidates, topK) : topK;
  const byText =
    mode === "vector" ? [] : chunks.searchText(request.text, limit, collectionIds, request.language);
  if (mode === "keyword") return withListRanks(byText, "keyword");
  const matches =
    request.vectorMatches ??
    (request.vector ? index.query({ vector: request.vector, topK: limit, collectionIds }) : []);
  const hits = new Map(chunks.hits(matches.map((match) => match.id)).map((hit) => [hit.id, hit]));
  // Vectors whose chunks are gone (a document deleted a moment ago) are dropped.
  const byVector = matches.flatMap((match) => {
    const hit = hits.get(match.id);
    return hit ? [{ ...hit, score: match.score }] : [];
  });
  if (mode === "vector") return withListRanks(byVector.slice(0, topK), "vector");
  return fuseByNormalisedScore(byText, byVector, request.keywordWeight).slice(0, topK);
}
