import type { z } from "@hono/zod-openapi";
import { type PassageKind, passageMakeup } from "../../services/search/passage-makeup";
import type { SearchHit } from "../../services/search/search.service";
import type { SearchResultSchema } from "./search.schemas";

/** A search hit as the API shows it: with what the chunk mostly is and its readable text. */
export function presentSearchHit(hit: SearchHit): z.infer<typeof SearchResultSchema> {
  // Search weighed every hit it returns, and says what it found; read again only if not.
  const { kind, excerpt = hit.text } = hit.passage ?? fromMakeup(passageMakeup(hit.text, hit.section));
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
    excerpt,
    score: hit.score,
    lists: hit.lists ?? {},
  };
}

const fromMakeup = ({ kind, readable }: { kind: PassageKind; readable: string }) => ({
  kind,
  excerpt: readable,
});
