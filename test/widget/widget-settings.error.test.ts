import { describe, expect, it } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.routes";
import { api, fieldsOf } from "../helpers/api";
import { createAssistant, createTenant } from "../helpers/tenants";
import { SITE } from "../helpers/widgets";

describe("widget settings refused", () => {
  it("names each allowed origin that is not a plain origin or a subdomain wildcard", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const refused = [
      "http://www.customer.example",
      "https://www.customer.example/shop",
      "https://www.customer.example?x=1",
      "https://user:pw@www.customer.example",
      "ftp://files.customer.example",
      "*",
      "https://*",
      "https://*.com",
      "http://*.customer.example",
      "https://shop.*.customer.example",
      "null",
      "www.customer.example",
    ];
    for (const origin of refused) {
      const problem = await tenant.client.expectProblem(400, "PUT", `assistants/${assistant.id}/widget`, {
        json: { allowed_origins: [SITE, origin] },
      });
      expect(problem.code, origin).toBe("validation_failed");
      expect(fieldsOf(problem), origin).toEqual(["json.allowed_origins.1"]);
      expect(problem.errors?.[0]?.message, origin).toContain(origin);
    }
  });

  it("refuses a wildcard over a public suffix of the Public Suffix List (ICANN or private)", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const publicSuffixes = [
      "https://*.co.uk",
      "https://*.com.",
      "https://*.github.io",
      "https://*.blogspot.com",
      "https://*.pages.dev",
      "https://*.xn--p1ai",
    ];
    for (const origin of publicSuffixes) {
      const problem = await tenant.client.expectProblem(400, "PUT", `assistants/${assistant.id}/widget`, {
        json: { allowed_origins: [SITE, origin] },
      });
      expect(problem.code, origin).toBe("validation_failed");
      expect(fieldsOf(problem), origin).toEqual(["json.allowed_origins.1"]);
      expect(problem.errors?.[0]?.message, origin).toContain("public suffix");
    }
  });

  it("refuses an empty origin list, too many suggested questions, long ones and a bad colour", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const cases: [Record<string, unknown>, string][] = [
      [{ allowed_origins: [] }, "json.allowed_origins"],
      [{ allowed_origins: [SITE], suggested_questions: Array(7).fill("Why?") }, "json.suggested_questions"],
      [{ allowed_origins: [SITE], suggested_questions: ["x".repeat(201)] }, "json.suggested_questions.0"],
      [{ allowed_origins: [SITE], primary_color: "blue" }, "json.primary_color"],
      [{ allowed_origins: [SITE], position: "top-left" }, "json.position"],
      [{ allowed_origins: [SITE], language: "ja" }, "json.language"],
      [
        { allowed_origins: [SITE], budgets: { visitor_messages_per_hour: 0 } },
        "json.budgets.visitor_messages_per_hour",
      ],
    ];
    for (const [json, field] of cases) {
      const problem = await tenant.client.expectProblem(400, "PUT", `assistants/${assistant.id}/widget`, {
        json,
      });
      expect(fieldsOf(problem), field).toEqual([field]);
    }
  });

  it("is for administrators: a member key can neither read nor change it", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const { key } = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "member", role: "member" },
    });
    const member = api({ authorization: `Bearer ${key}` });
    const path = `assistants/${assistant.id}/widget`;
    for (const [method, target, json] of [
      ["GET", path, undefined],
      ["PUT", path, { allowed_origins: [SITE] }],
      ["POST", `${path}/rotate`, undefined],
      ["DELETE", path, undefined],
    ] as const) {
      expect((await member.expectProblem(403, method, target, { json })).code, `${method} ${target}`).toBe(
        "forbidden",
      );
    }
  });

  it("cannot rotate a key that was never minted, nor reach an unknown assistant", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, []);
    const rotate = await tenant.client.expectProblem(409, "POST", `assistants/${assistant.id}/widget/rotate`);
    expect(rotate.code).toBe("conflict");
    const unknown = await tenant.client.expectProblem(404, "GET", "assistants/ast_missing/widget");
    expect(unknown.code).toBe("not_found");
  });
});
