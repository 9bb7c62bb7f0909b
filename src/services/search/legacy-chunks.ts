import type { Deps, TenantContext } from "../../context";
import {
  deleteLegacyChunks,
  legacyChunks,
  tenantsWithLegacyChunks,
} from "../../storage/repositories/chunks.repo";
import { findDocument } from "../../storage/repositories/documents.repo";

/** The arguments of a job's verb: like ingestion, it needs only the tenant of its context. */
interface JobVerb<Input> {
  ctx: Pick<TenantContext, "tenantId">;
  deps: Deps;
  input: Input;
}

/**
 * Moves one page of a tenant's chunks from D1 (where releases before the search shards kept them)
 * into its shard: the page is copied, then deleted from D1. Resumable and idempotent by
 * construction: what is left in D1 is what remains to do, and a chunk copied twice (a run that
 * stopped between copy and delete) is stored once, by id. Chunks of an older generation than their
 * document's are stale (a reindex under way replaces them) and are only deleted.
 * Returns how many rows the page held: fewer than `limit` means the tenant is done.
 */
export async function moveLegacyChunks({
  ctx,
  deps,
  input,
}: JobVerb<{ limit: number }>): Promise<{ moved: number; dropped: number }> {
  const rows = await legacyChunks(deps.db, ctx.tenantId, input.limit);
  const current = rows.filter((row) => row.generation === row.documentGeneration);
  await deps.searchShards.insertChunks(
    ctx.tenantId,
    current.map(({ tenantId: _, documentGeneration: __, ...chunk }) => chunk),
  );
  // A document deleted or reindexed since the page was read may have had its shard cleared before
  // the copy landed: re-read after the copy, as ingestion does, and take back what it brought.
  const copied = new Map(current.map((row) => [row.documentId, row.generation]));
  for (const [documentId, generation] of copied) {
    const document = await findDocument(deps.db, ctx.tenantId, documentId);
    if (document?.generation !== generation) {
      await deps.searchShards.deleteByDocument(ctx.tenantId, documentId, generation);
    }
  }
  await deleteLegacyChunks(
    deps.db,
    ctx.tenantId,
    rows.map((row) => row.id),
  );
  return { moved: current.length, dropped: rows.length - current.length };
}

/**
 * Moves up to about `maxChunks` chunks left in D1 into their tenants' shards, page by page, tenant
 * by tenant; run on a schedule until nothing is left (then it costs one indexed query).
 * Returns how many chunks it moved or dropped.
 */
export async function moveAllLegacyChunks({
  deps,
  input,
}: {
  deps: Deps;
  input: { maxChunks: number; pageSize?: number };
}): Promise<number> {
  const limit = input.pageSize ?? 500;
  let done = 0;
  while (done < input.maxChunks) {
    const tenants = await tenantsWithLegacyChunks(deps.db, 20);
    if (tenants.length === 0) break;
    for (const tenantId of tenants) {
      const { moved, dropped } = await moveLegacyChunks({ ctx: { tenantId }, deps, input: { limit } });
      done += moved + dropped;
      if (done >= input.maxChunks) break;
    }
  }
  return done;
}
