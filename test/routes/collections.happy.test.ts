import { describe, expect, it } from "vitest";
import { CollectionPageSchema, CollectionSchema } from "../../src/routes/collections/collections.schemas";
import { createCollection, createTenant } from "../helpers/tenants";

describe("collections", () => {
  it("creates, lists, reads and deletes a collection", async () => {
    const tenant = await createTenant();
    const created = await tenant.client.expectJson(201, "POST", "collections", CollectionSchema, {
      json: { name: "Documentation", description: "Manuals" },
    });
    expect(created).toMatchObject({ name: "Documentation", description: "Manuals" });
    expect(created.id).toMatch(/^col_/);

    const fetched = await tenant.client.expectJson(200, "GET", `collections/${created.id}`, CollectionSchema);
    expect(fetched).toEqual(created);

    const list = await tenant.client.expectJson(200, "GET", "collections", CollectionPageSchema);
    expect(list.data.map((c) => c.id)).toEqual([created.id]);

    await tenant.client.expectNoContent("DELETE", `collections/${created.id}`);
    await tenant.client.expectProblem(404, "GET", `collections/${created.id}`);
  });

  it("renames a collection and keeps its description unless it is sent", async () => {
    const tenant = await createTenant();
    const created = await tenant.client.expectJson(201, "POST", "collections", CollectionSchema, {
      json: { name: "Draft", description: "Manuals" },
    });
    const renamed = await tenant.client.expectJson(
      200,
      "PATCH",
      `collections/${created.id}`,
      CollectionSchema,
      {
        json: { name: "Handbooks" },
      },
    );
    expect(renamed).toMatchObject({ id: created.id, name: "Handbooks", description: "Manuals" });
    const fetched = await tenant.client.expectJson(200, "GET", `collections/${created.id}`, CollectionSchema);
    expect(fetched.name).toBe("Handbooks");
    await tenant.client.expectProblem(400, "PATCH", `collections/${created.id}`, { json: { name: "" } });
  });

  it("paginates in a stable order", async () => {
    const tenant = await createTenant();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createCollection(tenant, `C${i}`)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await tenant.client.expectJson(200, "GET", `collections${query}`, CollectionPageSchema);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((c) => c.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });
});
