import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ApiKeyPageSchema, CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { CollectionPageSchema } from "../../src/routes/collections/collections.schemas";
import { apiWithEnv } from "../helpers/api";
import { createTenant } from "../helpers/tenants";

/** The D1 binding, recording every statement prepared on it (a session's included). */
function recordingD1(d1: D1Database | D1DatabaseSession, sql: string[]): D1Database {
  return new Proxy(d1, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "prepare") {
        return (statement: string) => {
          sql.push(statement);
          return target.prepare(statement);
        };
      }
      if (prop === "withSession") {
        return (constraint: string) => recordingD1((target as D1Database).withSession(constraint), sql);
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as D1Database;
}

describe("an API key's last use", () => {
  it("is written once a minute at most: a key used again within it costs no D1 write", async () => {
    const tenant = await createTenant();
    const key = await tenant.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "busy" },
    });
    const sql: string[] = [];
    const asKey = apiWithEnv({ DB: recordingD1(env.DB, sql) }, { authorization: `Bearer ${key.key}` });
    for (let i = 0; i < 3; i++) await asKey.expectJson(200, "GET", "collections", CollectionPageSchema);

    const touches = sql.filter((statement) => /^\s*update "api_keys" set "last_used_at"/i.test(statement));
    expect(touches).toHaveLength(1);
    const listed = await tenant.client.expectJson(200, "GET", "api-keys", ApiKeyPageSchema);
    expect(listed.data.find((row) => row.id === key.id)?.last_used_at).not.toBeNull();
  });
});
