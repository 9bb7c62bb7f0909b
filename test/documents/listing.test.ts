import { describe, expect, it } from "vitest";
import { CollectionPageSchema } from "../../src/routes/collections/collections.schemas";
import { DocumentPageSchema } from "../../src/routes/documents/documents.schemas";
import { uploadDocument } from "../../src/services/documents/documents.service";
import { upload } from "../helpers/documents";
import { depsWith } from "../helpers/quotas";
import { devContext, slowBlobStore } from "../helpers/slow-blobs";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

async function listPage(tenant: TestTenant, collectionId: string, cursor?: string) {
  const query = `collection_id=${collectionId}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
  return tenant.client.expectJson(200, "GET", `documents?${query}`, DocumentPageSchema);
}

describe("listing documents page by page", () => {
  it("lists an upload at its place from the moment its row is stored, never behind a cursor already issued", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const first = await upload(tenant, collection.id, "first.txt", encode("The first note."));

    const deps = depsWith();
    const slow = slowBlobStore(deps.blobs);
    const slowUpload = uploadDocument({
      ctx: devContext(tenant.id),
      deps: { ...deps, blobs: slow.store },
      input: {
        collectionId: collection.id,
        filename: "slow.txt",
        file: new File([encode("The slow note, still on its way.")], "slow.txt"),
      },
    });
    await slow.started();
    const second = await upload(tenant, collection.id, "second.txt", encode("The second note."));
    const third = await upload(tenant, collection.id, "third.txt", encode("The third note."));

    // The slow upload's row went in beside its file: it is listed (queued) where it was accepted.
    const pageOne = await listPage(tenant, collection.id);
    const [listedFirst, listedSlow] = pageOne.data;
    expect(listedFirst?.id).toBe(first.id);
    expect(listedSlow).toMatchObject({ filename: "slow.txt", status: "queued" });
    expect(pageOne.next_cursor).not.toBeNull();

    slow.finish();
    const { document: late } = await slowUpload;
    expect(late.id).toBe(listedSlow?.id);

    const seen: string[] = [];
    let cursor = pageOne.next_cursor;
    while (cursor) {
      const page = await listPage(tenant, collection.id, cursor);
      seen.push(...page.data.map((document) => document.id));
      cursor = page.next_cursor;
    }
    expect(seen).toEqual([second.id, third.id]);
  });

  it("refuses the cursor of another list", async () => {
    const tenant = await createTenant();
    await createCollection(tenant, "One");
    await createCollection(tenant, "Two");
    const collections = await tenant.client.expectJson(
      200,
      "GET",
      "collections?limit=1",
      CollectionPageSchema,
    );
    const refused = await tenant.client.expectProblem(
      400,
      "GET",
      `documents?cursor=${collections.next_cursor}`,
    );
    expect(refused).toMatchObject({ code: "validation_failed" });
    expect(refused.errors).toEqual([expect.objectContaining({ field: "query.cursor" })]);
  });
});
