import type { Verb } from "../../context";
import { notFound } from "../../errors";
import { type ChunkHit, findChunkHits, searchChunkText } from "../../storage/repositories/chunks.repo";
import { existingCollectionIds } from "../../storage/repositories/collections.repo";

export type SearchMode = "hybrid" | "vector" | "keyword";

export interface SearchInput {
  query: string;
  collectionIds?: string[];
  topK: number;
  mode: SearchMode;
}

export interface SearchHit extends ChunkHit {
  score: number;
}

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

/**
 * Finds the tenant's chunks most relevant to a query: by bm25 over the full-text index, by
 * cosine over the vector store, or both fused by normalised score (weighted by
 * HYBRID_KEYWORD_WEIGHT, see docs/benchmarks.md). Always within the tenant;
 * `collectionIds` outside it are a 404.
 */
export async function searchChunks({ ctx, deps, input }: Verb<SearchInput>): Promise<SearchHit[]> {
  const collectionIds = input.collectionIds?.length ? input.collectionIds : undefined;
  if (collectionIds) {
    const owned = await existingCollectionIds(deps.db, ctx.tenantId, collectionIds);
    const missing = collectionIds.find((id) => !owned.has(id));
    if (missing) throw notFound("Collection", missing);
  }
  // Each list fetches more candidates than asked, so fusion has overlap to work with.
  const candidates = input.mode === "hybrid" ? Math.max(input.topK * 4, 20) : input.topK;

  const keyword = async (): Promise<SearchHit[]> => {
    const hits = await searchChunkText(deps.db, ctx.tenantId, input.query, {
      limit: candidates,
      collectionIds,
    });
    // bm25() is lower-is-better and negative; present it as a positive relevance.
    return hits.map(({ bm25, ...hit }) => ({ ...hit, score: -bm25 }));
  };
  const vector = async (): Promise<SearchHit[]> => {
    const [queryVector] = await deps.embedder.embed([input.query], "query");
    const matches = await deps.vectorStore.query(ctx.tenantId, {
      vector: queryVector!,
      topK: candidates,
      collectionIds,
    });
    // Vectors whose chunk rows are gone (a document deleted a moment ago) are dropped here.
    const hits = new Map(
      (
        await findChunkHits(
          deps.db,
          ctx.tenantId,
          matches.map((m) => m.id),
        )
      ).map((h) => [h.id, h]),
    );
    return matches.flatMap((match) => {
      const hit = hits.get(match.id);
      return hit ? [{ ...hit, score: match.score }] : [];
    });
  };

  if (input.mode === "keyword") return (await keyword()).slice(0, input.topK);
  if (input.mode === "vector") return (await vector()).slice(0, input.topK);
  const [byText, byVector] = await Promise.all([keyword(), vector()]);
  return fuseByNormalisedScore(byText, byVector, deps.config.search.hybridKeywordWeight).slice(0, input.topK);
}
