import type { Verb } from "../../context";
import { notFound } from "../../errors";
import { existingCollectionIds } from "../../storage/repositories/collections.repo";
import type { ScoredChunkHit, ShardSearch } from "../../storage/search-shard/search-shard.interface";

export { fuseByNormalisedScore } from "./fusion";

export type SearchMode = "hybrid" | "vector" | "keyword";

export interface SearchInput {
  query: string;
  collectionIds?: string[];
  topK: number;
  mode: SearchMode;
  /**
   * The collections are known to be the tenant's (an assistant's, which links only its own):
   * they are not read again.
   */
  collectionsAreTenants?: boolean;
}

export type SearchHit = ScoredChunkHit;

/**
 * Finds the tenant's chunks most relevant to a query: by bm25 over the tenant's own full-text
 * index, by cosine over the vector store, or both fused by normalised score (weighted by
 * HYBRID_KEYWORD_WEIGHT, see docs/benchmarks.md). One call to the tenant's search
 * shard does all of it: with the embedded store the shard also holds the vectors; with an
 * external store its matches are passed in. Always within the tenant; `collectionIds` outside it
 * are a 404.
 */
export async function searchChunks({ ctx, deps, input }: Verb<SearchInput>): Promise<SearchHit[]> {
  const collectionIds = input.collectionIds?.length ? input.collectionIds : undefined;
  if (collectionIds && !input.collectionsAreTenants) {
    const owned = await existingCollectionIds(deps.db, ctx.tenantId, collectionIds);
    const missing = collectionIds.find((id) => !owned.has(id));
    if (missing) throw notFound("Collection", missing);
  }
  const request: ShardSearch = {
    mode: input.mode,
    text: input.query,
    topK: input.topK,
    // Each list fetches more candidates than asked, so fusion has overlap to work with and the
    // body-share prior body text to lift.
    candidates: Math.max(input.topK * 4, 20),
    collectionIds,
    keywordWeight: deps.config.search.hybridKeywordWeight,
  };
  if (input.mode !== "keyword") {
    const [vector] = await deps.embedder.embed([input.query], "query");
    if (deps.vectorStore.kind === "embedded") request.vector = vector!;
    else {
      request.vectorMatches = await deps.vectorStore.query(ctx.tenantId, {
        vector: vector!,
        topK: request.candidates,
        collectionIds,
      });
    }
  }
  return deps.searchShards.search(ctx, request);
}
