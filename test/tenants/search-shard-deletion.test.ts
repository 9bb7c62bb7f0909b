import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";
import { nowIso } from "../../src/lib/time";
import { runTenantDeletionStep } from "../../src/services/tenants/delete-tenant";
import { markTenantDeleting } from "../../src/storage/repositories/tenant-deletion.repo";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { droppingQueue } from "../helpers/ingestion";
import { shardRows } from "../helpers/shards";
import { createCollection, createTenant } from "../helpers/tenants";

describe("a tenant's deletion and its search shard", () => {
  it("empties the shard even when the vector store lives elsewhere (Qdrant, Vectorize)", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
    await waitForDocument(tenant, document.id);
    expect(await shardRows(tenant.id, "SELECT id FROM chunks")).not.toEqual([]);

    // An external store: its purge never reaches the tenant's object.
    const real = depsFor(env);
    const deps: Deps = {
      ...real,
      ingestQueue: droppingQueue().queue,
      vectorStore: Object.assign(Object.create(real.vectorStore), { purgeTenant: async () => true }),
    };
    await markTenantDeleting(deps.db, tenant.id, nowIso());
    await runTenantDeletionStep({ ctx: { tenantId: tenant.id }, deps, input: { step: "vectors" } });

    expect(await shardRows(tenant.id, "SELECT id FROM chunks")).toEqual([]);
    expect(await shardRows(tenant.id, "SELECT id FROM chunk_documents")).toEqual([]);
  });
});
