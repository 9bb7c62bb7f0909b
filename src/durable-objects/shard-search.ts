import type { EmbeddedIndex } from "../providers/vector/embedded/embedded-index";
import { fuseByNormalisedScore, withListRanks } from "../services/search/fusion";
import { rankByBodyShare } from "../services/search/passage-makeup";
import type { ChunkIndex } from "../storage/search-shard/chunk-index";
import type { ScoredChunkHit, ShardSearch } from "../storage/search-shard/search-shard.interface";

/**
 * Keyword, vector or hybrid search over one copy of a tenant's shard (the shard or a replica):
 * bm25 over its full-text index, cosine over its vectors (or the matches of an external store,
 * passed in), fused here, then weighed by how much of each chunk is body prose (a title page's
 * front matter, a reference list, chart labels rank below body text that matches as well).
 * Synchronous: the caller loads the language detector first.
 */
export function searchShardCopy(
  chunks: ChunkIndex,
  index: EmbeddedIndex,
  request: ShardSearch,
): ScoredChunkHit[] {
  const { mode, topK, collectionIds } = request;
  // Every list fetches its candidates, so that the prior can lift body text from below the top K.
  const limit = Math.max(request.candidates, topK);
  const byText =
    mode === "vector" ? [] : chunks.searchText(request.text, limit, collectionIds, request.language);
  if (mode === "keyword") return rankByBodyShare(withListRanks(byText, "keyword"), topK);
  const matches =
    request.vectorMatches ??
    (request.vector ? index.query({ vector: request.vector, topK: limit, collectionIds }) : []);
  const hits = new Map(chunks.hits(matches.map((match) => match.id)).map((hit) => [hit.id, hit]));
  // Vectors whose chunks are gone (a document deleted a moment ago) are dropped.
  const byVector = matches.flatMap((match) => {
    const hit = hits.get(match.id);
    return hit ? [{ ...hit, score: match.score }] : [];
  });
  if (mode === "vector") return rankByBodyShare(withListRanks(byVector, "vector"), topK);
  return rankByBodyShare(fuseByNormalisedScore(byText, byVector, request.keywordWeight), topK);
}
