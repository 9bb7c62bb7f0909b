import type { Deps, Identity, TenantContext } from "../src/context";
import { countTokens, loadTokenCounter } from "../src/ingest/tokens";
import { createCollection } from "../src/services/collections/collections.service";
import { createTenant } from "../src/services/tenants/tenants.service";
import type { ShardChunk } from "../src/storage/search-shard/search-shard.interface";

/** A new tenant owned by the bench user, with one "SciFact" collection, through the services. */
export async function createBenchTenant(deps: Deps, name: string) {
  const identity: Identity = { actor: { type: "dev", userId: "bench" }, tenantId: null, role: null };
  const tenant = await createTenant({ identity, deps, input: { name } });
  const ctx: TenantContext = {
    tenantId: tenant.id,
    actor: identity.actor,
    role: "owner",
    requestId: "req_bench",
  };
  const collection = await createCollection({ ctx, deps, input: { name: "SciFact" } });
  return { tenant, ctx, collection };
}

// corpusChunk counts tokens synchronously: the tables are loaded once, when this module is.
await loadTokenCounter();

/** A chunk of a bench corpus as ingestion would store it: plain text, no pages or sections. */
export function corpusChunk(
  chunk: Pick<ShardChunk, "id" | "collectionId" | "documentId" | "filename" | "position" | "text">,
): ShardChunk {
  return {
    ...chunk,
    pageStart: null,
    pageEnd: null,
    section: null,
    pageOffsets: null,
    tokenCount: countTokens(chunk.text),
    generation: 1,
  };
}
