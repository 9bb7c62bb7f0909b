import { unreadablePagesSentence } from "../../ingest/parse";
import type { DocumentRow } from "../../storage/repositories/documents.repo";
import type { DocumentStatus } from "../../storage/schema";

/** The document's warnings: today, pages left out because their text layer does not decode to text. */
function documentWarnings(row: DocumentRow) {
  if (row.unreadablePages.length === 0) return [];
  return [
    {
      code: "unreadable_pages" as const,
      pages: row.unreadablePages.map((entry) => entry.page),
      message: unreadablePagesSentence(row.unreadablePages),
    },
  ];
}

export const presentDocument = (row: DocumentRow) => ({
  id: row.id,
  collection_id: row.collectionId,
  filename: row.filename,
  content_type: row.contentType,
  size_bytes: row.sizeBytes,
  sha256: row.sha256,
  // Never `deleting`: the service answers 404 for a document whose deletion is under way.
  status: row.status as DocumentStatus,
  error: row.error,
  page_count: row.pageCount,
  language: row.language,
  chunk_count: row.chunkCount,
  token_count: row.tokenCount,
  progress: { pages_done: row.pagesDone, pages_total: row.pagesTotal },
  warnings: documentWarnings(row),
  metadata: row.metadata ?? null,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});
