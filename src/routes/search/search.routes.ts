import { createRoute } from "@hono/zod-openapi";
import { searchChunks } from "../../services/search/search.service";
import { jsonBody, jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
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
        results: hits.map((hit) => ({
          chunk_id: hit.id,
          document_id: hit.documentId,
          filename: hit.filename,
          collection_id: hit.collectionId,
          page: hit.pageStart,
          page_end: hit.pageEnd,
          section: hit.section,
          language: hit.language,
          text: hit.text,
          score: hit.score,
          lists: hit.lists ?? {},
        })),
      },
      200,
    );
  },
);
