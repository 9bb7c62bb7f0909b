import { afterEach, describe, expect, it, vi } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { ChatResponseSchema } from "../../src/routes/chat/chat.schemas";
import { TenantSchema } from "../../src/routes/tenants/tenants.schemas";
import { fakeAnalyticsEngine } from "../fakes/analytics-engine";
import { apiWithEnv } from "../helpers/api";
import { clerkEnv, signToken } from "../helpers/clerk";
import { uploadCorpus, waitForDocument } from "../helpers/documents";
import { captureLogs, type LogLine } from "../helpers/logs";
import { createAssistant, createCollection } from "../helpers/tenants";

const EMAIL = "ada.lovelace@example.org";
// A question that names a secret of its own: neither may reach a log.
const QUESTION = "Norwich City football club history, password hunter2-zebra?";

let capture: ReturnType<typeof captureLogs> | undefined;
afterEach(() => capture?.restore());

/** Every captured line is JSON and quotes none of `secrets`. */
function expectNoSecrets(lines: string[], secrets: string[]) {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    for (const secret of secrets) expect(line, `a log line quotes a secret: ${line}`).not.toContain(secret);
  }
}

describe("structured logs", () => {
  it("writes one JSON line per request with its id, tenant, actor, route template, status and duration, and no key, token or e-mail", async () => {
    const metrics = fakeAnalyticsEngine();
    const token = await signToken({ sub: `user_logs_${crypto.randomUUID().slice(0, 8)}`, email: EMAIL });
    const env = { ...clerkEnv(), METRICS: metrics.dataset };
    const owner = apiWithEnv(env, { authorization: `Bearer ${token}` });
    const tenant = await owner.expectJson(201, "POST", "tenants", TenantSchema, { json: { name: "Logs" } });
    const inTenant = apiWithEnv(env, { authorization: `Bearer ${token}`, "x-tenant-id": tenant.id });
    const created = await inTenant.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "ci", role: "admin" },
    });

    capture = captureLogs();
    const withKey = apiWithEnv(env, { authorization: `Bearer ${created.key}` });
    const missing = await withKey.request("GET", "collections/col_doesnotexist");
    expect(missing.status).toBe(404);
    const requestId = missing.headers.get("x-request-id");
    const lines = capture.lines();
    const line = lines.find((entry) => entry.event === "request" && entry.request_id === requestId);
    expect(line).toMatchObject({
      level: "info",
      event: "request",
      method: "GET",
      route: "/api/v1/collections/:collection_id",
      status: 404,
      tenant_id: tenant.id,
      actor_type: "api_key",
      error_code: "not_found",
    });
    expect(line?.duration_ms).toEqual(expect.any(Number));
    // The path's own id is not in the line: the template is.
    expect(JSON.stringify(line)).not.toContain("col_doesnotexist");
    expect(lines.filter((entry) => entry.request_id === requestId && entry.event === "request")).toHaveLength(
      1,
    );

    const signedIn = await inTenant.request("GET", "collections");
    expect(signedIn.status).toBe(200);
    expect(capture.lines().at(-1)).toMatchObject({
      event: "request",
      route: "/api/v1/collections",
      status: 200,
      actor_type: "user",
      tenant_id: tenant.id,
    });
    expectNoSecrets(capture.raw, [created.key, token, EMAIL, "Bearer"]);

    // The same requests, counted per tenant in the metrics.
    const requests = metrics.of("request").filter((point) => point.indexes?.[0] === tenant.id);
    expect(requests.map((point) => [point.blobs?.[3], point.blobs?.[4], point.doubles?.[5]])).toEqual(
      expect.arrayContaining([
        ["/api/v1/collections/:collection_id", "not_found", 404],
        ["/api/v1/collections", "", 200],
      ]),
    );
  });

  it("writes a chat turn's line with its figures, joined to its request by the request id, and never the message", async () => {
    const token = await signToken({ sub: `user_chat_${crypto.randomUUID().slice(0, 8)}`, email: EMAIL });
    const env = clerkEnv();
    const owner = apiWithEnv(env, { authorization: `Bearer ${token}` });
    const tenant = await owner.expectJson(201, "POST", "tenants", TenantSchema, { json: { name: "Chat" } });
    const client = apiWithEnv(env, { authorization: `Bearer ${token}`, "x-tenant-id": tenant.id });
    const testTenant = { id: tenant.id, client };
    const collection = await createCollection(testTenant);
    const document = await uploadCorpus(testTenant, collection.id, "txt/norwich-city.txt");
    expect((await waitForDocument(testTenant, document.id)).status).toBe("ready");
    const assistant = await createAssistant(testTenant, [collection.id]);

    capture = captureLogs();
    const response = await client.request("POST", `chat/${assistant.id}`, { json: { message: QUESTION } });
    const reply = ChatResponseSchema.parse(await response.json());
    expect(reply.answer.length).toBeGreaterThan(0);
    const requestId = response.headers.get("x-request-id");

    // The turn runs in its conversation's alarm, which logs once it has ended.
    const turnLine = await vi.waitFor(() => {
      const found = capture!
        .lines()
        .find((entry) => entry.event === "chat_turn" && entry.request_id === requestId);
      if (!found) throw new Error("no chat_turn line yet");
      return found as LogLine;
    });
    expect(turnLine).toMatchObject({
      level: "info",
      tenant_id: tenant.id,
      actor_type: "user",
      assistant_id: assistant.id,
      conversation_id: reply.conversation_id,
      tokens: 0,
      outcome: "ok",
    });
    for (const figure of ["retrieval_ms", "first_token_ms", "duration_ms"])
      expect(turnLine[figure], figure).toEqual(expect.any(Number));
    expect(
      capture.lines().find((entry) => entry.event === "request" && entry.request_id === requestId),
    ).toMatchObject({ route: "/api/v1/chat/:assistant_id", status: 200 });
    expectNoSecrets(capture.raw, [QUESTION, "hunter2-zebra", reply.answer.slice(0, 40), token, EMAIL]);
  });
});
