import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { api } from "../helpers/api";
import { fetchOpenApiDocument, operationsOf } from "../helpers/openapi";

function collectRefs(node: unknown, refs: Set<string>) {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, refs);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") refs.add(value);
      else collectRefs(value, refs);
    }
  }
}

describe("OpenAPI document", async () => {
  const doc = await fetchOpenApiDocument();

  it("is an OpenAPI 3.1 document whose references all resolve", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Ancre API");
    const refs = new Set<string>();
    collectRefs(doc, refs);
    expect(refs.size).toBeGreaterThan(0);
    for (const ref of refs) {
      const [, section, name] = ref.match(/^#\/components\/(\w+)\/(.+)$/) ?? [];
      expect(
        (doc.components as Record<string, Record<string, unknown>>)[section!]?.[name!],
        ref,
      ).toBeDefined();
    }
    expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual([
      "apiKeyAuth",
      "bearerAuth",
      "tenantHeader",
    ]);
  });

  it("keeps one schema per component name: token usage and the usage report are two", () => {
    const schemas = doc.components?.schemas as Record<string, { properties?: Record<string, unknown> }>;
    expect(Object.keys(schemas.TokenUsage?.properties ?? {})).toContain("total_tokens");
    expect(Object.keys(schemas.Usage?.properties ?? {})).toContain("metrics");
  });

  it("lists every API route with its error responses", async () => {
    const routes = (await createApp().withEveryGroup()).routes
      .filter((route) => route.path.startsWith("/api/v1/") && route.method !== "ALL")
      .map((route) => ({ method: route.method.toLowerCase(), path: route.path.replace(/:(\w+)/g, "{$1}") }));
    expect(routes.length).toBeGreaterThanOrEqual(16);
    const operations = operationsOf(doc);
    for (const route of routes) {
      const operation = operations.find(
        (documented) => documented.method === route.method && documented.path === route.path,
      )?.operation;
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      const statuses = Object.keys(operation!.responses ?? {});
      expect(
        statuses.some((s) => s.startsWith("2")),
        `${route.path} success`,
      ).toBe(true);
      // Health and the console's configuration answer without credentials, so without 401.
      if (!["/api/v1/health", "/api/v1/config"].includes(route.path)) {
        expect(statuses, `${route.method} ${route.path}`).toEqual(
          expect.arrayContaining(["400", "401", "500"]),
        );
        expect(operation!.security, `${route.path} security`).toBeDefined();
      }
    }
  });

  it("serves Swagger UI and ReDoc", async () => {
    const swagger = await api().request("GET", "/docs");
    expect(swagger.status).toBe(200);
    expect(await swagger.text()).toContain('<script src="/docs-assets/swagger-init.js">');
    const redoc = await api().request("GET", "/redoc");
    expect(await redoc.text()).toContain('spec-url="/openapi.json"');
  });

  it("loads Swagger UI and ReDoc from Ancre's own assets only, under a policy allowing nothing else", async () => {
    for (const path of ["/docs", "/redoc"]) {
      const response = await api().request("GET", path);
      const html = await response.text();
      const sources = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(sources.length, path).toBeGreaterThan(0);
      for (const source of sources) expect(source, path).toMatch(/^\/docs-assets\/[\w.-]+\.(js|css)$/);
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      const policy = response.headers.get("content-security-policy") ?? "";
      expect(policy, path).toMatch(/(^|; )script-src 'self'(;|$)/);
      expect(policy, path).toContain("frame-ancestors 'none'");
    }
  });
});
