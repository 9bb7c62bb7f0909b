import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signCopilotToken, verifyCopilotToken } from "../../src/auth/copilot-token";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { TenantKpisSchema } from "../../src/routes/kpis/kpis.schemas";
import { SearchResponseSchema } from "../../src/routes/search/search.schemas";
import { api, apiWithEnv } from "../helpers/api";
import { createTenant, type TestTenant } from "../helpers/tenants";

const SECRET = env.COPILOT_INTERNAL_SECRET!;

/** A stand-in for the copilot Worker's binding: it records what it is sent and answers with CORS headers of its own. */
function copilotStub() {
  const received: Request[] = [];
  const binding = {
    async fetch(input: RequestInfo | URL, init?: RequestInit) {
      const request = new Request(input, init);
      received.push(request);
      return Response.json(
        { copilot: "info", path: new URL(request.url).pathname },
        { headers: { "access-control-allow-origin": "*" } },
      );
    },
  };
  return { binding, received };
}

const tokenFor = (tenant: TestTenant, expiresAt = Date.now() + 60_000, secret = SECRET) =>
  signCopilotToken(
    { tenantId: tenant.id, actor: { type: "dev", userId: "dev" }, role: "owner", expiresAt },
    secret,
  );

describe("/api/copilotkit, the way to the copilot Worker", () => {
  it("answers not_configured when the COPILOT binding is absent", async () => {
    const tenant = await createTenant();
    const client = apiWithEnv({ COPILOT: undefined }, { "x-tenant-id": tenant.id });
    const problem = await client.expectProblem(503, "GET", "/api/copilotkit/info");
    expect(problem.code).toBe("not_configured");
    expect(problem.detail).toMatch(/COPILOT service binding/);
  });

  it("forwards an authenticated request with a token for the caller's tenant instead of its credentials", async () => {
    const tenant = await createTenant();
    const { binding, received } = copilotStub();
    const client = apiWithEnv(
      { COPILOT: binding },
      { "x-tenant-id": tenant.id, origin: "http://localhost:5173", "x-request-id": "req_forwarded_1" },
    );
    const response = await client.request("GET", "/api/copilotkit/info");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ copilot: "info", path: "/api/copilotkit/info" });
    // The API's own CORS answer, not the copilot's wildcard.
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");

    expect(received).toHaveLength(1);
    const forwarded = received[0]!;
    expect(forwarded.headers.get("x-tenant-id")).toBeNull();
    expect(forwarded.headers.get("x-request-id")).toBe("req_forwarded_1");
    const token = /^Bearer (ct_\S+)$/.exec(forwarded.headers.get("authorization") ?? "")?.[1];
    expect(token).toBeDefined();
    const grant = await verifyCopilotToken(token!, SECRET);
    expect(grant).toMatchObject({ tenantId: tenant.id, role: "owner", actor: { type: "dev" } });
  });

  it("forwards nothing for a caller the API does not authenticate", async () => {
    const { binding, received } = copilotStub();
    const client = apiWithEnv({ COPILOT: binding, DEV_AUTH_BYPASS: "false" });
    expect((await client.expectProblem(401, "POST", "/api/copilotkit/agent/default/run")).code).toBe(
      "unauthenticated",
    );
    expect(received).toHaveLength(0);
  });
});

/** Every route CopilotKit 1.75's runtime serves, but the three the console's chat calls, on `threadId`. */
const refusedRoutes = (threadId: string): [string, string, unknown?][] => [
  ["GET", "/threads?agentId=default"],
  ["GET", `/threads/${threadId}/messages`],
  ["GET", `/threads/${threadId}/events`],
  ["GET", `/threads/${threadId}/state`],
  ["POST", "/agent/default/connect", { threadId, runId: "run_1", messages: [] }],
  ["POST", "/threads/clear", {}],
  ["POST", "/threads/subscribe", {}],
  ["PATCH", `/threads/${threadId}`, { agentId: "default", name: "mine now" }],
  ["DELETE", `/threads/${threadId}`, { agentId: "default" }],
  ["POST", `/threads/${threadId}/archive`, { agentId: "default" }],
  ["POST", "/agent/default/suggest", { threadId, messages: [] }],
  ["POST", "/transcribe", {}],
  ["GET", "/inspector-metadata"],
  ["GET", "/cpk-debug-events"],
  ["GET", "/memories"],
  ["POST", "/annotate", {}],
  // The runtime matches a route by its last segments, whatever comes before them.
  ["GET", `/anything/threads/${threadId}/messages`],
  ["GET", "/agent/default/run/info"],
  // Its single-route envelope, on the base path; and the allowed routes with another method.
  ["POST", "", { method: "resource/request", params: { path: "/threads", httpMethod: "GET" } }],
  ["POST", "/info", {}],
  ["GET", "/agent/default/run"],
  ["POST", "/agent/another/run", { threadId, messages: [] }],
];

describe("/api/copilotkit, between tenants", () => {
  it("forwards a member API key of another tenant nothing of the runtime's thread routes: all 404, before the copilot", async () => {
    const other = await createTenant();
    const { key } = await other.client.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "copilot-probe", role: "member" },
    });
    const { binding, received } = copilotStub();
    const client = apiWithEnv({ COPILOT: binding }, { authorization: `Bearer ${key}` });
    const threadId = `thread_${crypto.randomUUID()}`;
    for (const [method, path, json] of refusedRoutes(threadId)) {
      const problem = await client.expectProblem(404, method, `/api/copilotkit${path}`, { json });
      expect(problem.code).toBe("route_not_found");
    }
    expect(received).toHaveLength(0);

    // What the console's chat calls still reaches the copilot, as the key's tenant.
    const allowed: [string, string][] = [
      ["GET", "/info"],
      ["POST", "/agent/default/run"],
      ["POST", `/agent/default/stop/${threadId}`],
    ];
    for (const [method, path] of allowed) {
      expect((await client.request(method, `/api/copilotkit${path}`)).status).toBe(200);
    }
    expect(received.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual(
      allowed.map(([method, path]) => `${method} /api/copilotkit${path}`),
    );
    for (const request of received) {
      const token = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
      expect(await verifyCopilotToken(token!, SECRET)).toMatchObject({
        tenantId: other.id,
        role: "member",
        actor: { type: "api_key" },
      });
    }
  });
});

describe("a copilot token, as the copilot's tools present it", () => {
  it("opens the KPIs and search for its tenant", async () => {
    const tenant = await createTenant();
    const client = api({ authorization: `Bearer ${await tokenFor(tenant)}` });
    const kpis = await client.expectJson(200, "GET", "kpis", TenantKpisSchema);
    const mine = await tenant.client.expectJson(200, "GET", "kpis", TenantKpisSchema);
    expect(kpis).toEqual(mine);
    await client.expectJson(200, "POST", "search", SearchResponseSchema, { json: { query: "anything" } });
  });

  it("opens nothing else", async () => {
    const tenant = await createTenant();
    const client = api({ authorization: `Bearer ${await tokenFor(tenant)}` });
    expect((await client.expectProblem(403, "GET", "collections")).code).toBe("forbidden");
    expect((await client.expectProblem(403, "GET", "usage")).code).toBe("forbidden");
  });

  it("is refused when forged, expired, or sent with another tenant's X-Tenant-ID", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const forged = await tokenFor(tenant, Date.now() + 60_000, "a-secret-that-is-not-the-shared-one-at-all");
    const expired = await tokenFor(tenant, Date.now() - 1);
    for (const token of [forged, expired, `${await tokenFor(tenant)}x`]) {
      const client = api({ authorization: `Bearer ${token}` });
      expect((await client.expectProblem(401, "GET", "kpis")).code).toBe("unauthenticated");
    }
    const client = api({ authorization: `Bearer ${await tokenFor(tenant)}`, "x-tenant-id": other.id });
    expect((await client.expectProblem(403, "GET", "kpis")).code).toBe("forbidden");
  });
});
