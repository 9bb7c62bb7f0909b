import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { Deps, TenantContext } from "../../src/context";
import { depsFor } from "../../src/deps";
import { BOOKMARK_HEADER } from "../../src/middleware/d1-session";
import { consumeIngestBatch } from "../../src/queues/ingest.consumer";
import type { IngestMessage } from "../../src/queues/messages";
import { DocumentPageSchema, DocumentSchema } from "../../src/routes/documents/documents.schemas";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { uploadDocument } from "../../src/services/documents/documents.service";
import type { QuotaLeaseObject } from "../../src/services/quotas/quota-lease.interface";
import { apiWithEnv } from "../helpers/api";
import { waitForDocument } from "../helpers/documents";
import { droppingQueue, requestCtx } from "../helpers/ingestion";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

// An upload is answered once its row and file are stored and its ingestion queued; the commit of
// its reservation and the publish of its row follow the response. These tests end the request's
// isolate right there (the work after the response fails at its first step, as if the isolate had
// gone) and check that the queue consumer finishes the upload: the document is neither lost nor
// charged twice, and a document deleted meanwhile is charged nothing.

const note = (text: string) => encode(`${text} `.padEnd(4096, "x"));

/** Lease holders whose `commit` fails: the work after the response gets no further. */
function holdersThatCannotCommit(namespace: DurableObjectNamespace<QuotaLeaseObject>) {
  return new Proxy(namespace, {
    get(target, prop) {
      if (prop !== "getByName" && prop !== "get") {
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (...at: unknown[]) => {
        const stub = (target as unknown as Record<string, (...a: unknown[]) => object>)[prop]!(...at);
        return new Proxy(stub, {
          get(stubTarget, method) {
            if (method === "commit") return () => Promise.reject(new Error("the isolate ended"));
            if (typeof method !== "string" || method === "then") return Reflect.get(stubTarget, method);
            // An RPC method must be called through the stub (calling .apply on it is sent as a method).
            return (...args: unknown[]) =>
              (stubTarget as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args);
          },
        });
      };
    },
  }) as DurableObjectNamespace<QuotaLeaseObject>;
}

/** An upload answered as a request in `wnam` would be, whose isolate ends with the response. */
async function uploadEndingAtResponse(tenant: TestTenant, collectionId: string, bytes: Uint8Array) {
  const dropping = droppingQueue();
  const after: Promise<unknown>[] = [];
  const deps: Deps = {
    ...depsFor(env),
    leases: holdersThatCannotCommit(env.QUOTA_LEASE),
    ingestQueue: dropping.queue,
    afterResponse: (work) => after.push(work),
  };
  const ctx: TenantContext = { ...requestCtx(tenant.id), region: "wnam" };
  const { document, duplicate } = await uploadDocument({
    ctx,
    deps,
    input: { collectionId, filename: "note.txt", file: new File([bytes], "note.txt") },
  });
  expect(duplicate).toBe(false);
  await Promise.all(after);
  const [message] = dropping.sent();
  expect(message?.upload).toMatchObject({ size_bytes: bytes.length, region: "wnam" });
  return { document, message: message! };
}

/** Delivers `message` to the ingestion consumer, as the queue would (again, when called again). */
async function deliver(message: IngestMessage) {
  const delivered = { id: crypto.randomUUID(), timestamp: new Date(), body: message, attempts: 1 };
  const acked = vi.fn();
  const batch = {
    queue: "ancre-ingest",
    messages: [{ ...delivered, ack: acked, retry: vi.fn() }],
  } as unknown as MessageBatch<unknown>;
  await consumeIngestBatch(batch, depsFor(env));
  expect(acked).toHaveBeenCalled();
}

const rowOf = (id: string) =>
  env.DB.prepare("SELECT status, list_position FROM documents WHERE id = ?")
    .bind(id)
    .first<{ status: string; list_position: number | null }>();

async function storedKeys(tenantId: string): Promise<string[]> {
  const listed = await env.FILES.list({ prefix: `tenants/${tenantId}/documents/` });
  return listed.objects.map((object) => object.key);
}

async function usageOf(tenant: TestTenant) {
  const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
  return { documents: usage.metrics.documents, storage: usage.metrics.storage_bytes };
}

describe("an upload whose isolate ends with its 202", () => {
  it("is shown at once, then published, counted once and ingested by the queue consumer", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const bytes = note("A note whose upload the consumer finishes.");
    const { document, message } = await uploadEndingAtResponse(tenant, collection.id, bytes);

    // Nothing after the response ran: the row is still uploading, its reservation held.
    expect(await rowOf(document.id)).toMatchObject({
      status: "uploading",
      list_position: expect.any(Number),
    });
    expect(await usageOf(tenant)).toMatchObject({
      documents: { used: 0, reserved: 1 },
      storage: { used: 0, reserved: bytes.length },
    });
    // The caller reads its own write: the document and the listing show it, queued.
    const shown = await tenant.client.expectJson(200, "GET", `documents/${document.id}`, DocumentSchema);
    expect(shown.status).toBe("queued");
    const listed = await tenant.client.expectJson(200, "GET", "documents", DocumentPageSchema);
    expect(listed.data.map((item) => [item.id, item.status])).toEqual([[document.id, "queued"]]);
    const queued = await tenant.client.expectJson(200, "GET", "documents?status=queued", DocumentPageSchema);
    expect(queued.data.map((item) => item.id)).toEqual([document.id]);

    await deliver(message);
    await deliver(message); // delivered twice: finishing again changes nothing
    expect(await rowOf(document.id)).toMatchObject({ status: "ready" });
    expect(await usageOf(tenant)).toMatchObject({
      documents: { used: 1, reserved: 0 },
      storage: { used: bytes.length, reserved: 0 },
    });
  });

  it("charges nothing for a document deleted before the consumer finishes its upload", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const bytes = note("A note deleted right after its 202.");
    const { document, message } = await uploadEndingAtResponse(tenant, collection.id, bytes);

    await tenant.client.expectNoContent("DELETE", `documents/${document.id}`);
    await deliver(message);

    expect(await rowOf(document.id)).toBeNull();
    expect(await storedKeys(tenant.id)).toEqual([]);
    expect(await usageOf(tenant)).toMatchObject({
      documents: { used: 0, reserved: 0 },
      storage: { used: 0, reserved: 0 },
    });
  });

  it("charges nothing when its collection goes before the consumer finishes its upload", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const bytes = note("A note whose collection goes right after its 202.");
    const { document, message } = await uploadEndingAtResponse(tenant, collection.id, bytes);

    await tenant.client.expectNoContent("DELETE", `collections/${collection.id}`);
    await deliver(message);

    expect(await rowOf(document.id)).toBeNull();
    expect(await storedKeys(tenant.id)).toEqual([]);
    expect(await usageOf(tenant)).toMatchObject({
      documents: { used: 0, reserved: 0 },
      storage: { used: 0, reserved: 0 },
    });
  });
});

describe("an upload whose step fails before its 202", () => {
  it("leaves nothing when its ingestion cannot be queued: no row, no file, its reservation given back", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const deps: Deps = {
      ...depsFor(env),
      ingestQueue: { send: () => Promise.reject(new Error("queue down")) } as unknown as Deps["ingestQueue"],
    };
    const ctx: TenantContext = { ...requestCtx(tenant.id), region: "wnam" };
    const bytes = note("A note whose ingestion cannot be queued.");
    await expect(
      uploadDocument({
        ctx,
        deps,
        input: { collectionId: collection.id, filename: "note.txt", file: new File([bytes], "note.txt") },
      }),
    ).rejects.toMatchObject({ code: "service_unavailable" });

    const rows = await env.DB.prepare("SELECT id FROM documents WHERE tenant_id = ?").bind(tenant.id).all();
    expect(rows.results).toEqual([]);
    expect(await storedKeys(tenant.id)).toEqual([]);
    expect(await usageOf(tenant)).toMatchObject({
      documents: { used: 0, reserved: 0 },
      storage: { used: 0, reserved: 0 },
    });
  });

  it("leaves nothing when its file cannot be stored, though its row went in beside it", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const base = depsFor(env);
    const blobs = Object.create(base.blobs) as Deps["blobs"];
    blobs.put = () => Promise.reject(new Error("R2 down"));
    const ctx: TenantContext = { ...requestCtx(tenant.id), region: "wnam" };
    const bytes = note("A note whose file cannot be stored.");
    await expect(
      uploadDocument({
        ctx,
        deps: { ...base, blobs },
        input: { collectionId: collection.id, filename: "note.txt", file: new File([bytes], "note.txt") },
      }),
    ).rejects.toThrow("R2 down");

    const rows = await env.DB.prepare("SELECT id FROM documents WHERE tenant_id = ?").bind(tenant.id).all();
    expect(rows.results).toEqual([]);
    expect(await usageOf(tenant)).toMatchObject({
      documents: { used: 0, reserved: 0 },
      storage: { used: 0, reserved: 0 },
    });
  });
});

describe("reading an upload back", () => {
  it("answers the 202 with a bookmark under which the document and the listing show it", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const client = apiWithEnv({}, { "x-tenant-id": tenant.id });
    const form = new FormData();
    form.append("file", new File([note("A note read back at once.")], "note.txt"));
    const response = await client.request("POST", `documents/upload/${collection.id}`, { body: form });
    expect(response.status).toBe(202);
    const bookmark = response.headers.get(BOOKMARK_HEADER);
    expect(bookmark).toBeTruthy();
    const { id } = (await response.json()) as { id: string };
    const headers = { [BOOKMARK_HEADER]: bookmark! };
    const shown = await client.expectJson(200, "GET", `documents/${id}`, DocumentSchema, { headers });
    expect(["queued", "processing", "ready"]).toContain(shown.status);
    const listed = await client.expectJson(200, "GET", "documents", DocumentPageSchema, { headers });
    expect(listed.data.map((item) => item.id)).toEqual([id]);
    await waitForDocument(tenant, id);
  });
});
