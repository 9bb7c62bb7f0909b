import { OpenAPIHono } from "@hono/zod-openapi";
import { APP_VERSION } from "../config";
import type { AppEnv } from "../context";
import type { GroupRouter } from "./route-groups";

/** The head of `/openapi.json`. */
export const OPENAPI_DOCUMENT_INFO = {
  openapi: "3.1.0",
  info: {
    title: "Ancre API",
    version: APP_VERSION,
    description:
      "Multi-tenant RAG: collections, documents, assistants and cited answers. Errors are RFC 9457 problem details.",
  },
};

/**
 * The OpenAPI 3.1 document of the given routers, mounted under `prefix` in the order given (the
 * app's order: the document lists paths and components in it), with the security schemes.
 * Loaded by the first request for the document, never at start-up: it is the only user of the
 * routes' OpenAPI metadata.
 */
export function openApiDocumentOf(prefix: string, routers: readonly GroupRouter[]) {
  const registry = new OpenAPIHono<AppEnv>();
  for (const router of routers) registry.route(prefix, router);
  registry.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Clerk session token. Pick the tenant with X-Tenant-ID.",
  });
  registry.openAPIRegistry.registerComponent("securitySchemes", "apiKeyAuth", {
    type: "http",
    scheme: "bearer",
    description: "A tenant API key (`ak_…`); the key decides the tenant.",
  });
  registry.openAPIRegistry.registerComponent("securitySchemes", "tenantHeader", {
    type: "apiKey",
    in: "header",
    name: "X-Tenant-ID",
    description: "The tenant to act in (with a session token or the development bypass).",
  });
  return registry.getOpenAPI31Document(OPENAPI_DOCUMENT_INFO);
}
