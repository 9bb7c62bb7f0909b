import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { uploadDocument } from "../../src/services/documents/documents.service";
import { apiWithEnv, expectProblemBody } from "../helpers/api";
import { upload, uploadRequest } from "../helpers/documents";
import { depsWith } from "../helpers/quotas";
import { devContext, slowBlobStore } from "../helpers/slow-blobs";
import { createCollection, createTenant } from "../helpers/tenants";
import { encode, sleep } from "../helpers/text";

const note = (i: number) => encode(`Note ${i} `.padEnd(2048 + i, "x"));

async function storedKeys(tenantId: string): Promise<string[]> {
  const listed = await env.FILES.list({ prefix: `tenants/${tenantId}/documents/` });
  return listed.objects.map((object) => object.key).sort();
}

async function documentRows(tenantId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, blob_key, size_bytes FROM documents WHERE tenant_id = ?",
  )
    .bind(tenantId)
    .all<{ id: string; blob_key: string; size_bytes: number }>();
  return results;
}

/** The tenant's files are exactly those of its document rows, and its quota counts exactly those. */
async function expectNothingLeftOver(tenantId: string, expectedRows: number) {
  const rows = await documentRows(tenantId);
  expect(rows).toHaveLength(expectedRows);
  expect(await storedKeys(tenantId)).toEqual(rows.map((row) => row.blob_key).sort());
  const client = apiWithEnv({}, { "x-tenant-id": tenantId });
  const usage = await client.expectJson(200, "GET", "usage", UsageSchema);
  expect(usage.metrics.documents).toMatchObject({ used: rows.length, reserved: 0 });
  expect(usage.metrics.storage_bytes).toMatchObject({
    used: rows.reduce((total, row) => total + row.size_bytes, 0),
    reserved: 0,
  });
}

describe("an upload racing the deletion of its collection", () => {
  it("answers not_found and leaves no file when the collection goes while the file is on its way", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const deps = depsWith();
    const slow = slowBlobStore(deps.blobs);
    const uploads = Array.from({ length: 10 }, (_, i) =>
      uploadDocument({
        ctx: devContext(tenant.id),
        deps: { ...deps, blobs: slow.store },
        input: { collectionId: collection.id, filename: `note-${i}.txt`, file: new File([note(i)], "n.txt") },
      }),
    );
    await slow.started(10);

    await tenant.client.expectNoContent("DELETE", `collections/${collection.id}`);
    slow.finish();

    for (const outcome of await Promise.allSettled(uploads)) {
      expect(outcome.status).toBe("rejected");
      const error = (outcome as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "not_found" });
    }
    await expectNothingLeftOver(tenant.id, 0);
  });

  it("answers 202 or 404 to 100 uploads among which the collection is deleted", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv({ MAX_REQUESTS_PER_MINUTE_PER_KEY: "1000" }, { "x-tenant-id": tenant.id });
    const doomed = await createCollection(tenant, "Doomed");
    const kept = await createCollection(tenant, "Kept");

    // Uploads start a few milliseconds apart and the deletion is sent amid them.
    const uploads: Promise<Response>[] = [];
    let deletion: Promise<Response> | undefined;
    for (let i = 0; i < 100; i++) {
      uploads.push(uploadRequest(client, i % 5 === 0 ? kept.id : doomed.id, `note-${i}.txt`, note(i)));
      if (i === 50) deletion = client.request("DELETE", `collections/${doomed.id}`);
      await sleep(3);
    }
    const responses = await Promise.all(uploads);
    expect((await deletion!).status).toBe(204);

    expect(responses.map((response) => response.status).filter((s) => s !== 202 && s !== 404)).toEqual([]);
    for (const [i, response] of responses.entries()) {
      if (i % 5 === 0) expect(response.status).toBe(202);
      if (response.status === 404)
        expect(await expectProblemBody(response, 404)).toMatchObject({ code: "not_found" });
    }
    await expectNothingLeftOver(tenant.id, 20);
  }, 120_000);

  it("takes the place of an upload that died half-way, long ago", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const deps = depsWith();
    const stuck = slowBlobStore(deps.blobs);
    const dying = uploadDocument({
      ctx: devContext(tenant.id),
      deps: { ...deps, blobs: stuck.store },
      input: { collectionId: collection.id, filename: "note.txt", file: new File([note(1)], "note.txt") },
    });
    await stuck.started();
    await env.DB.prepare("UPDATE documents SET updated_at = ? WHERE tenant_id = ?")
      .bind(new Date(Date.now() - 3_600_000).toISOString(), tenant.id)
      .run();

    const replacement = await upload(tenant, collection.id, "note.txt", note(1));
    expect(replacement.duplicate).toBe(false);

    stuck.finish();
    await expect(dying).rejects.toMatchObject({ code: "not_found" });
    const rows = await documentRows(tenant.id);
    expect(rows.map((row) => row.id)).toEqual([replacement.id]);
    await expectNothingLeftOver(tenant.id, 1);
  });
});
