import { z } from "@hono/zod-openapi";
import { SUPPORTED_LANGUAGES } from "../../lib/text/language";
import { PASSAGE_KINDS } from "../../services/search/passage-makeup";

export const SearchRequestSchema = z
  .object({
    query: z.string().trim().min(1).max(2000),
    collection_ids: z.array(z.string().min(1).max(64)).max(50).optional(),
    top_k: z.number().int().min(1).max(50).default(5),
    mode: z.enum(["hybrid", "vector", "keyword"]).default("hybrid"),
  })
  .openapi("SearchRequest");

const ListPlaceSchema = z
  .object({
    rank: z.number().int().openapi({ description: "1 for the list's first hit" }),
    score: z.number().openapi({ description: "The list's own score: bm25 relevance, or cosine similarity" }),
  })
  .openapi("ListPlace");

export const SearchResultSchema = z
  .object({
    chunk_id: z.string(),
    document_id: z.string(),
    filename: z.string(),
    collection_id: z.string(),
    page: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "First page (PDF) or slide (PPTX) of the chunk" }),
    page_end: z.number().int().nullable(),
    section: z.string().nullable(),
    language: z.enum(SUPPORTED_LANGUAGES).nullable().openapi({
      description: "Language the chunk's keywords were analysed in (ISO 639-1); null when unknown",
    }),
    text: z.string(),
    kind: z.enum(PASSAGE_KINDS).openapi({
      description:
        "What the chunk mostly is: body prose, or a title page's front matter, a reference list, captions, chart labels and symbols, or page furniture (searchable, ranked below body prose that matches as well, never quoted as an answer)",
    }),
    excerpt: z.string().openapi({
      description: "The chunk's readable text: `text` without its runs of symbols (chart and axis labels)",
    }),
    score: z.number(),
    lists: z.object({ keyword: ListPlaceSchema.optional(), vector: ListPlaceSchema.optional() }).openapi({
      description:
        "The ranked lists that found the chunk (bm25 keyword, vector), with its place in each; a list that did not find it is absent",
    }),
  })
  .openapi("SearchResult");

export const SearchResponseSchema = z
  .object({ results: z.array(SearchResultSchema) })
  .openapi("SearchResponse");
