import { letterSpacedPagesSentence, unreadableOnly, unreadablePagesSentence } from "../../ingest/parse";
import type { Passage } from "../../services/documents/passage";
import type { DocumentRow } from "../../storage/repositories/documents.repo";
import type { DocumentStatus } from "../../storage/schema";

/**
 * The document's warnings: pages left out because their text layer does not decode to text, and
 * pages indexed once the words their text layer spaced out letter by letter were rejoined.
 */
function documentWarnings(row: DocumentRow) {
  const unreadable = unreadableOnly(row.unreadablePages);
  const letterSpaced = row.unreadablePages.filter((entry) => entry.reason === "letter_spaced");
  const warnings = [];
  if (unreadable.length > 0) {
    warnings.push({
      code: "unreadable_pages" as const,
      pages: unreadable.map((entry) => entry.page),
      message: unreadablePagesSentence(unreadable),
    });
  }
  if (letterSpaced.length > 0) {
    const pages = letterSpaced.map((entry) => entry.page);
    warnings.push({
      code: "letter_spaced_pages" as const,
      pages,
      message: letterSpacedPagesSentence(pages),
    });
  }
  return warnings;
}

export const presentDocument = (row: DocumentRow) => ({
  id: row.id,
  collection_id: row.collectionId,
  filename: row.filename,
  content_type: row.contentType,
  size_bytes: row.sizeBytes,
  sha256: row.sha256,
  // Never `deleting`: the service answers 404 for a document whose deletion is under way. An
  // upload's row is `uploading` until its publish, which may follow the 202: queued for the caller.
  status: (row.status === "uploading" ? "queued" : row.status) as DocumentStatus,
  error: row.error,
  error_code: row.errorCode,
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

export const presentPassage = (passage: Passage) => ({
  document_id: passage.documentId,
  filename: passage.filename,
  format: passage.format,
  content_type: passage.contentType,
  unit: passage.unit,
  number: passage.number,
  section: passage.section,
  text: passage.text,
  cited: passage.cited,
});
