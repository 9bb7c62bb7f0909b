import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { api } from "./api";

/** The OpenAPI 3.1 document as the library that builds `/openapi.json` types it. */
export type OpenApiDocument = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;

// The document's own shape is OpenAPI's, not one of the app's schemas: checking that it is an object is enough.
const OpenApiDocumentSchema = z.custom<OpenApiDocument>(
  (value) => typeof value === "object" && value !== null && "paths" in value,
);

/** The app's `/openapi.json`, as a client reads it. */
export const fetchOpenApiDocument = () =>
  api().expectJson(200, "GET", "/openapi.json", OpenApiDocumentSchema);

type PathItem = NonNullable<OpenApiDocument["paths"]>[string];
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Every operation of the document, one row per path and method (method in lower case). */
export function operationsOf(doc: OpenApiDocument) {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]: [string, PathItem]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ method, path, operation }] : [];
    }),
  );
}
