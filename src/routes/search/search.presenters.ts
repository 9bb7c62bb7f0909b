import type { z } from "@hono/zod-openapi";
import { passageMakeup } from "../../services/search/passage-makeup";
import type { SearchHit } from "../../services/search/search.service";
import type { SearchResultSchema } from "./search.schemas";

/** A search hit as the API shows it: with what the chunk mostly is and its readable text. */
export function presentSearchHit(hit: SearchHit): z.infer<typeof SearchResultSchema> {
  const { kind, readable } = passageMakeup(hit.text, hit.section);
  return {
    chunk_id: hit.id,
    document_id: hit.documentId,
    filename: hit.filename,
    collection_id: hit.collectionId,
    page: hit.pageStart,
    page_end: hit.pageEnd,
    section: hit.section,
    language: hit.language,
    text: hit.text,
    kind,
    excerpt: readable,
    score: hit.score,
    lists: hit.lists ?? {},
  };
}
