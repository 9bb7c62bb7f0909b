import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { API_PREFIX, apiRouteGroups, createApp } from "../../src/app";
import { groupsForPath } from "../../src/routes/route-groups";

async function call(app: ReturnType<typeof createApp>, method: string, path: string) {
  const ctx = createExecutionContext();
  // Without the development bypass, a request without credentials is refused (401).
  const signedOut = { ...env, DEV_AUTH_BYPASS: "false" as const };
  const response = await app.fetch(new Request(`http://localhost${path}`, { method }), signedOut, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("route groups", () => {
  it("serve every route of a group under the first path segments it is loaded for", async () => {
    const { groups, publicRouters, tenantRouters } = apiRouteGroups();
    await Promise.all(groups.map((group) => group.load()));
    let routes = 0;
    for (const { group, router } of [...publicRouters, ...tenantRouters]) {
      for (const route of router().routes) {
        routes++;
        const path = `${API_PREFIX}${route.path}`;
        expect(groupsForPath(groups, API_PREFIX, path), `${route.method} ${path}`).toContain(group);
      }
    }
    expect(routes).toBeGreaterThan(80);
  });

  it("are loaded by the first request under their paths, one group at a time", async () => {
    const app = createApp();
    expect(app.loadedGroups()).toEqual([]);

    expect((await call(app, "GET", "/api/v1/health")).status).toBe(200);
    expect(app.loadedGroups()).toEqual(["health"]);

    // No credentials: refused by authentication, after the group was loaded for the route.
    expect((await call(app, "POST", "/api/v1/search")).status).toBe(401);
    expect(app.loadedGroups()).toEqual(["health", "search"]);

    // An assistant's widget is the widgets group's, under the assistants' paths.
    await call(app, "GET", "/api/v1/assistants/ast_1/widget");
    expect(app.loadedGroups()).toEqual(["health", "widgets", "assistants", "search"]);

    // Outside every group: nothing more is loaded.
    const unknown = await call(app, "GET", "/nowhere");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()) as { code: string }).toMatchObject({ code: "route_not_found" });
    expect(app.loadedGroups()).toHaveLength(4);
  });

  it("are all loaded for the OpenAPI document, which lists every route of every group", async () => {
    const app = createApp();
    const response = await call(app, "GET", "/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    expect(app.loadedGroups()).toEqual(apiRouteGroups().groups.map((group) => group.name));
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/health",
        "/api/v1/chat/{assistant_id}/stream",
        "/api/v1/audit-events",
      ]),
    );
  });
});
