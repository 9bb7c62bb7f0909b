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

/** Reciprocal rank fusion constant (Cormack et al.): damps the weight of the very first ranks. */
const RRF_K = 60;

/**
 * Fuses ranked lists by reciprocal rank: a chunk's score is the sum over the lists of
 * weight / (k + rank). Weights default to 1.
 */
export function fuseByReciprocalRank(lists: ChunkHit[][], topK: number, weights: number[] = []): SearchHit[] {
  const fused = new Map<string, SearchHit>();
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

/**
 * Finds the tenant's chunks most relevant to a query: by bm25 over the full-text index, by
 * cosine over the vector store, or both fused by reciprocal rank (the vector list weighted by
 * HYBRID_VECTOR_WEIGHT, see docs/benchmarks.md). Always within the tenant;
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
  return fuseByReciprocalRank([byText, byVector], input.topK, [1, deps.config.search.hybridVectorWeight]);
}
