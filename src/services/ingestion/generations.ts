import type { QuotaVerb } from "../quotas/quotas.service";

// Apart from the ingestion service, whose parsers and chunker a reindex request does not need: the
// documents service clears older generations too, and it is loaded by requests (docs/performance.md).

/**
 * Makes `generation` the document's current one in the tenant's shard, so that search stops
 * showing older chunks at once, then deletes the chunks and vectors of older generations. Each
 * step is harmless to repeat: a reindex runs it, and its new generation's first batch again.
 */
export async function clearOlderGenerations({
  ctx,
  deps,
  input,
}: QuotaVerb<{ documentId: string; generation: number }>): Promise<void> {
  const { documentId, generation } = input;
  const older = await deps.searchShards.advanceGeneration(ctx.tenantId, documentId, generation);
  if (older.length === 0) return;
  await deps.vectorStore.deleteByIds(ctx.tenantId, older);
  await deps.searchShards.deleteOlderGenerations(ctx.tenantId, documentId, generation);
}
