import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deps } from "../../src/context";
import { depsFor } from "../../src/deps";
import { ProviderError } from "../../src/providers/errors";
import { vectorIndexName } from "../../src/providers/vector/embedded-store";
import { DocumentPageSchema } from "../../src/routes/documents/documents.routes";
import { UsageSchema } from "../../src/routes/usage/usage.routes";
import { deleteDocument, uploadDocument } from "../../src/services/documents";
import { DELETION_LEASE_SECONDS, sweepStalledDeletions } from "../../src/services/documents/deletion";
import { readCorpus } from "../helpers/corpus";
import { search, uploadCorpus, waitForDocument } from "../helpers/documents";
import { requestCtx } from "../helpers/ingestion";
import { shardChunkIds } from "../helpers/shards";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

const QUERY = "Norwich City football club Carrow Road";

const documentStatus = async (id: string) =>
  (await env.DB.prepare("SELECT status FROM documents WHERE id = ?").bind(id).first<{ status: string }>())
    ?.status;

const vectorCount = async (tenantId: string) =>
  (await env.VECTOR_INDEX.getByName(vectorIndexName(tenantId)).stats()).count;

const usage = async (tenant: TestTenant) => {
  const { metrics } = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
  return { documents: metrics.documents.used, bytes: metrics.storage_bytes.used };
};

const down = async () => {
  throw new ProviderError("embedded", true, "the object was reset");
};

/** The test bindings' dependencies with one step of a deletion failing. */
function failing(step: "shard" | "vectors"): Deps {
  const deps = depsFor(env);
  if (step === "shard") {
    const searchShards = Object.create(deps.searchShards) as Deps["searchShards"];
    searchShards.deleteByDocument = down;
    return { ...deps, searchShards };
  }
  const vectorStore = Object.create(deps.vectorStore) as Deps["vectorStore"];
  vectorStore.deleteByDocument = down;
  return { ...deps, vectorStore };
}

async function readyDocument() {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const document = await uploadCorpus(tenant, collection.id, "txt/norwich-city.txt");
  await waitForDocument(tenant, document.id);
  expect(await usage(tenant)).toEqual({ documents: 1, bytes: document.size_bytes });
  return { tenant, collection, document, blobKey: `tenants/${tenant.id}/documents/${document.id}/original` };
}

describe("a deletion whose step fails", () => {
  it("hides the document at once, answers 202 until done, and finishes on the next DELETE", async () => {
    const { tenant, document, blobKey } = await readyDocument();

    const first = await deleteDocument({
      ctx: requestCtx(tenant.id),
      deps: failing("vectors"),
      input: { documentId: document.id },
    });
    expect(first).toEqual({ done: false });
    expect(await documentStatus(document.id)).toBe("deleting");
    await tenant.client.expectProblem(404, "GET", `documents/${document.id}`);
    const listed = await tenant.client.expectJson(200, "GET", "documents", DocumentPageSchema);
    expect(listed.data).toEqual([]);
    for (const mode of ["keyword", "vector", "hybrid"])
      expect(await search(tenant, QUERY, { mode })).toEqual([]);
    expect(await env.FILES.head(blobKey)).not.toBeNull();

    await tenant.client.expectNoContent("DELETE", `documents/${document.id}`);
    expect(await documentStatus(document.id)).toBeUndefined();
    expect(await env.FILES.head(blobKey)).toBeNull();
    expect(await shardChunkIds(tenant.id, document.id)).toEqual([]);
    expect(await vectorCount(tenant.id)).toBe(0);
    expect(await usage(tenant)).toEqual({ documents: 0, bytes: 0 });
    await tenant.client.expectProblem(404, "DELETE", `documents/${document.id}`);
  });

  it("is finished by the sweeper once its lease has passed, giving the quota back once", async () => {
    const { tenant, document, blobKey } = await readyDocument();
    const failed = await deleteDocument({
      ctx: requestCtx(tenant.id),
      deps: failing("shard"),
      input: { documentId: document.id },
    });
    expect(failed).toEqual({ done: false });
    expect(await shardChunkIds(tenant.id, document.id)).not.toEqual([]);

    const deps = depsFor(env);
    // Within its lease, the deletion is left to whoever runs it.
    await sweepStalledDeletions({ deps, input: { now: new Date() } });
    expect(await documentStatus(document.id)).toBe("deleting");

    const later = new Date(Date.now() + (DELETION_LEASE_SECONDS + 1) * 1000);
    await sweepStalledDeletions({ deps, input: { now: later } });
    expect(await documentStatus(document.id)).toBeUndefined();
    expect(await shardChunkIds(tenant.id, document.id)).toEqual([]);
    expect(await vectorCount(tenant.id)).toBe(0);
    expect(await env.FILES.head(blobKey)).toBeNull();
    for (const mode of ["keyword", "vector", "hybrid"])
      expect(await search(tenant, QUERY, { mode })).toEqual([]);
    await sweepStalledDeletions({ deps, input: { now: new Date(later.getTime() + 60_000) } });
    expect(await usage(tenant)).toEqual({ documents: 0, bytes: 0 });
  });

  it("lets the same content be uploaded again, finishing the deletion first", async () => {
    const { tenant, collection, document } = await readyDocument();
    await deleteDocument({
      ctx: requestCtx(tenant.id),
      deps: failing("vectors"),
      input: { documentId: document.id },
    });

    const again = await uploadDocument({
      ctx: requestCtx(tenant.id),
      deps: depsFor(env),
      input: {
        collectionId: collection.id,
        filename: "norwich-city.txt",
        file: new Blob([await readCorpus("txt/norwich-city.txt")]),
      },
    });
    expect(again.duplicate).toBe(false);
    expect(again.document.id).not.toBe(document.id);
    expect(await documentStatus(document.id)).toBeUndefined();
    expect(await usage(tenant)).toEqual({ documents: 1, bytes: document.size_bytes });
  });
});
