import { describe, expect, it } from "vitest";
import { SUPPORTED_LANGUAGES } from "../../src/lib/text/language";
import { AssistantPageSchema, AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import { assistantLanguages } from "../../src/storage/schema";
import { apiWithEnv, expectProblemBody, fieldsOf } from "../helpers/api";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";

describe("assistants", () => {
  it("creates an assistant with defaults and its collections", async () => {
    const tenant = await createTenant();
    const docs = await createCollection(tenant, "Docs");
    const faq = await createCollection(tenant, "FAQ");
    const assistant = await tenant.client.expectJson(201, "POST", "assistants", AssistantSchema, {
      json: {
        name: "Mon Assistant",
        system_prompt: "Tu es un assistant qui répond en français.",
        collection_ids: [faq.id, docs.id],
      },
    });
    expect(assistant).toMatchObject({
      name: "Mon Assistant",
      system_prompt: "Tu es un assistant qui répond en français.",
      collection_ids: [faq.id, docs.id],
      model: null,
      temperature: 0.2,
      top_k: 5,
      language: "auto",
    });
    expect(await tenant.client.expectJson(200, "GET", `assistants/${assistant.id}`, AssistantSchema)).toEqual(
      assistant,
    );
  });

  it("updates fields and replaces the collection list", async () => {
    const tenant = await createTenant();
    const docs = await createCollection(tenant, "Docs");
    const faq = await createCollection(tenant, "FAQ");
    const assistant = await createAssistant(tenant, [docs.id]);
    const updated = await tenant.client.expectJson(
      200,
      "PATCH",
      `assistants/${assistant.id}`,
      AssistantSchema,
      {
        json: { name: "Renamed", top_k: 8, model: "gpt-4o", collection_ids: [faq.id] },
      },
    );
    expect(updated).toMatchObject({ name: "Renamed", top_k: 8, model: "gpt-4o", collection_ids: [faq.id] });
    const untouched = await tenant.client.expectJson(
      200,
      "PATCH",
      `assistants/${assistant.id}`,
      AssistantSchema,
      {
        json: { temperature: 1 },
      },
    );
    expect(untouched).toMatchObject({ name: "Renamed", temperature: 1, collection_ids: [faq.id] });
  });

  it("sets the answer language on creation, changes it, and refuses an unsupported one", async () => {
    const tenant = await createTenant();
    const docs = await createCollection(tenant, "Docs");
    const french = await tenant.client.expectJson(201, "POST", "assistants", AssistantSchema, {
      json: { name: "Français", system_prompt: "", collection_ids: [docs.id], language: "fr" },
    });
    expect(french.language).toBe("fr");
    const german = await tenant.client.expectJson(200, "PATCH", `assistants/${french.id}`, AssistantSchema, {
      json: { language: "de" },
    });
    expect(german.language).toBe("de");
    const problem = await tenant.client.expectProblem(400, "PATCH", `assistants/${french.id}`, {
      json: { language: "sv" },
    });
    expect(fieldsOf(problem)).toEqual(["json.language"]);
    // The setting offers exactly the languages answers are written in.
    expect(assistantLanguages).toEqual(["auto", ...SUPPORTED_LANGUAGES]);
    expect(
      (await tenant.client.expectJson(200, "GET", `assistants/${french.id}`, AssistantSchema)).language,
    ).toBe("de");
  });

  it("drops the link when a collection is deleted", async () => {
    const tenant = await createTenant();
    const docs = await createCollection(tenant, "Docs");
    const faq = await createCollection(tenant, "FAQ");
    const assistant = await createAssistant(tenant, [docs.id, faq.id]);
    await tenant.client.expectNoContent("DELETE", `collections/${docs.id}`);
    const after = await tenant.client.expectJson(200, "GET", `assistants/${assistant.id}`, AssistantSchema);
    expect(after.collection_ids).toEqual([faq.id]);
  });

  it("refuses the fourth assistant with plan_limit_reached, even under concurrency", async () => {
    const tenant = await createTenant();
    const docs = await createCollection(tenant);
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        tenant.client.request("POST", "assistants", {
          json: { name: `A${i}`, system_prompt: "p", collection_ids: [docs.id] },
        }),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 403, 403, 403]);
    const refused = attempts.find((r) => r.status === 403)!;
    const problem = await expectProblemBody(refused, 403);
    expect(problem).toMatchObject({
      code: "plan_limit_reached",
      metric: "assistants",
      limit: 3,
      plan: "free",
    });
    const list = await tenant.client.expectJson(200, "GET", "assistants", AssistantPageSchema);
    expect(list.data).toHaveLength(3);
  });

  it("takes the limit from configuration", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv({ MAX_ASSISTANTS_PER_TENANT: "1" }, { "x-tenant-id": tenant.id });
    const body = { name: "A", system_prompt: "p", collection_ids: [] };
    await client.expectJson(201, "POST", "assistants", AssistantSchema, { json: body });
    await client.expectProblem(403, "POST", "assistants", { json: body });
  });

  it("deletes an assistant", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    await tenant.client.expectNoContent("DELETE", `assistants/${assistant.id}`);
    await tenant.client.expectProblem(404, "GET", `assistants/${assistant.id}`);
    await tenant.client.expectProblem(404, "DELETE", `assistants/${assistant.id}`);
  });
});
