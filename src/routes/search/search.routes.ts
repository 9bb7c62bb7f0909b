import { createRoute } from "@hono/zod-openapi";
import { searchChunks } from "../../services/search/search.service";
import { jsonBody, jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentSearchHit } from "./search.presenters";
import { SearchRequestSchema, SearchResponseSchema } from "./search.schemas";

export const searchRoutes = newRouter().openapi(
  createRoute({
    method: "post",
    path: "/search",
    tags: ["Search"],
    summary: "Search the tenant's chunks (hybrid: bm25 and vectors fused by normalised score)",
    security: tenantSecurity,
    request: { body: jsonBody(SearchRequestSchema) },
    responses: {
      200: jsonContent(SearchResponseSchema, "Best first"),
      ...problemResponses(404),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const hits = await searchChunks({
      ...tenantCall(c),
      input: { query: body.query, collectionIds: body.collection_ids, topK: body.top_k, mode: body.mode },
    });
    return c.json(
      {
        results: hits.map(presentSearchHit),
      },
      200,
    );
  },
);
