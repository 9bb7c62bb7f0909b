import { describe, expect, it } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { UsageHistorySchema, UsageSchema } from "../../src/routes/usage/usage.schemas";
import { api } from "../helpers/api";
import { upload, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

describe("usage isolation", () => {
  it("counts each tenant's work for that tenant only", async () => {
    const owner = await createTenant("Owner");
    const other = await createTenant("Other");
    const ownerCollection = await createCollection(owner);
    const ownerDoc = await upload(owner, ownerCollection.id, "owner.txt", encode("owner's words"));
    await waitForDocument(owner, ownerDoc.id);
    const before = await owner.client.expectJson(200, "GET", "usage", UsageSchema);
    const today = new Date().toISOString().slice(0, 10);
    const historyBefore = await owner.client.expectJson(
      200,
      "GET",
      `usage/history?from=${today}&to=${today}`,
      UsageHistorySchema,
    );

    const otherCollection = await createCollection(other);
    const otherDoc = await upload(
      other,
      otherCollection.id,
      "other.txt",
      encode("a longer text of the other tenant"),
    );
    await waitForDocument(other, otherDoc.id);

    expect(await owner.client.expectJson(200, "GET", "usage", UsageSchema)).toEqual(before);
    expect(
      await owner.client.expectJson(
        200,
        "GET",
        `usage/history?from=${today}&to=${today}`,
        UsageHistorySchema,
      ),
    ).toEqual(historyBefore);
    const seen = await other.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(seen.metrics.storage_bytes.used).toBe(otherDoc.size_bytes);
    expect(seen.metrics.documents.used).toBe(1);
  });

  it("refuses another tenant's API key on a tenant's usage and billing", async () => {
    const owner = await createTenant();
    const other = await createTenant();
    const { key } = await other.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "k" },
    });
    const intruder = api({ authorization: `Bearer ${key}`, "x-tenant-id": owner.id });
    for (const path of ["usage", "usage/history", "billing"]) {
      expect((await intruder.expectProblem(403, "GET", path)).code).toBe("forbidden");
    }
    // With its own tenant, the key sees its own tenant's usage.
    const own = await api({ authorization: `Bearer ${key}` }).expectJson(200, "GET", "usage", UsageSchema);
    expect(own.metrics.collections.used).toBe(0);
  });
});
