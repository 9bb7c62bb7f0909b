import { describe, expect, it } from "vitest";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { apiWithEnv, expectProblemBody } from "../helpers/api";
import { countOf } from "../helpers/db";
import { upload, uploadRequest, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

/** A distinct text file of exactly `size` bytes (distinct content: no duplicate detection). */
const note = (i: number, size = 64) => encode(`Note ${String(i).padStart(4, "0")} `.padEnd(size, "x"));

async function usage(client: ReturnType<typeof apiWithEnv>) {
  return client.expectJson(200, "GET", "usage", UsageSchema);
}

const documentCount = (tenantId: string) =>
  countOf("SELECT COUNT(*) AS n FROM documents WHERE tenant_id = ?", tenantId);

describe("storage and document quotas on upload", () => {
  it("lets exactly 50 of 100 concurrent uploads through when storage for 50 is left", async () => {
    const tenant = await createTenant();
    const size = 64;
    const client = apiWithEnv(
      { MAX_STORAGE_BYTES_PER_TENANT: String(60 * size), MAX_REQUESTS_PER_MINUTE_PER_KEY: "1000" },
      { "x-tenant-id": tenant.id },
    );
    const collection = await createCollection(tenant);
    for (let i = 0; i < 10; i++)
      await upload({ ...tenant, client }, collection.id, `first-${i}.txt`, note(i, size));

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        uploadRequest(client, collection.id, `n${i}.txt`, note(1000 + i, size)),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(50);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50);
    for (const response of responses.filter((r) => r.status === 429)) {
      expect(await response.json()).toMatchObject({
        code: "quota_exceeded",
        metric: "storage_bytes",
        limit: 60 * size,
        resets_at: null,
      });
    }
    const after = await usage(client);
    expect(after.metrics.storage_bytes).toMatchObject({ used: 60 * size, reserved: 0, remaining: 0 });
    expect(after.metrics.documents).toMatchObject({ used: 60, reserved: 0 });
    expect(await documentCount(tenant.id)).toBe(60);
  }, 60_000);

  it("refuses a document over the plan's count, and takes one again after a delete", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv({ MAX_DOCUMENTS_PER_TENANT: "2" }, { "x-tenant-id": tenant.id });
    const collection = await createCollection(tenant);
    const first = await upload({ ...tenant, client }, collection.id, "a.txt", note(1));
    await upload({ ...tenant, client }, collection.id, "b.txt", note(2));
    const refused = await uploadRequest(client, collection.id, "c.txt", note(3));
    const problem = await expectProblemBody(refused, 429);
    expect(problem).toMatchObject({ code: "quota_exceeded", metric: "documents", limit: 2, plan: "free" });
    expect(problem.detail).toMatch(/free plan allows 2 documents/);

    await waitForDocument(tenant, first.id);
    await client.expectNoContent("DELETE", `documents/${first.id}`);
    await upload({ ...tenant, client }, collection.id, "c.txt", note(3));
    expect((await usage(client)).metrics.documents.used).toBe(2);
  });

  it("gives the bytes back on delete, for a document and for a whole collection", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv({}, { "x-tenant-id": tenant.id });
    const kept = await createCollection(tenant, "Kept");
    const doomed = await createCollection(tenant, "Doomed");
    const a = await upload(tenant, kept.id, "a.txt", note(1, 100));
    await upload(tenant, kept.id, "b.txt", note(2, 200));
    await upload(tenant, doomed.id, "c.txt", note(3, 300));
    await upload(tenant, doomed.id, "d.txt", note(4, 400));
    expect((await usage(client)).metrics.storage_bytes.used).toBe(1000);

    await waitForDocument(tenant, a.id);
    await client.expectNoContent("DELETE", `documents/${a.id}`);
    // A second delete finds nothing and gives nothing back twice.
    await client.expectProblem(404, "DELETE", `documents/${a.id}`);
    expect((await usage(client)).metrics.storage_bytes.used).toBe(900);

    await client.expectNoContent("DELETE", `collections/${doomed.id}`);
    const after = await usage(client);
    expect(after.metrics.storage_bytes.used).toBe(200);
    expect(after.metrics.documents.used).toBe(1);
    expect(await documentCount(tenant.id)).toBe(1);
  });

  it("counts nothing for an identical upload", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    await upload(tenant, collection.id, "a.txt", note(1, 500));
    const again = await uploadRequest(tenant.client, collection.id, "a-again.txt", note(1, 500));
    expect(again.status).toBe(200);
    const current = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(current.metrics.storage_bytes).toMatchObject({ used: 500, reserved: 0 });
    expect(current.metrics.documents).toMatchObject({ used: 1, reserved: 0 });
  });

  it("answers uploads with RateLimit headers", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const first = await uploadRequest(tenant.client, collection.id, "a.txt", note(1));
    const second = await uploadRequest(tenant.client, collection.id, "b.txt", note(2));
    expect(first.status).toBe(202);
    expect(first.headers.get("RateLimit-Limit")).toBe("60");
    expect(Number(first.headers.get("RateLimit-Remaining"))).toBe(59);
    expect(Number(second.headers.get("RateLimit-Remaining"))).toBe(58);
    expect(Number(second.headers.get("RateLimit-Reset"))).toBeGreaterThan(0);
    // Refusals carry them too.
    const refused = await uploadRequest(tenant.client, collection.id, "c.exe", note(3));
    expect(refused.status).toBe(415);
    expect(refused.headers.get("RateLimit-Limit")).toBe("60");
  });
});
