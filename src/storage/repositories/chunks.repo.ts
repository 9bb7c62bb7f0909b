import { batches, SQL_PARAMETER_LIMIT } from "../../lib/batches";
import type { Database } from "../db";

/** A chunk with its document's filename, as search and chat present it. */
export interface ChunkHit {
  id: string;
  documentId: string;
  collectionId: string;
  filename: string;
  text: string;
  pageStart: number | null;
  pageEnd: number | null;
  section: string | null;
  /** Where each page starts in `text` when the chunk spans pages (see schema). */
  pageOffsets: [number, number][] | null;
}

interface ChunkHitRow extends Omit<ChunkHit, "pageOffsets"> {
  pageOffsets: string | null;
}

const toHit = <T extends ChunkHitRow>({ pageOffsets, ...row }: T) => ({
  ...row,
  pageOffsets: pageOffsets ? (JSON.parse(pageOffsets) as [number, number][]) : null,
});

const HIT_COLUMNS = `c.id AS id, c.document_id AS documentId, c.collection_id AS collectionId, d.filename AS filename,
  c.text AS text, c.page_start AS pageStart, c.page_end AS pageEnd, c.section AS section,
  c.page_offsets AS pageOffsets`;

function collectionFilter(collectionIds: string[] | undefined, firstParam: number) {
  if (!collectionIds || collectionIds.length === 0) return { clause: "", params: [] as string[] };
  const placeholders = collectionIds.map((_, i) => `?${firstParam + i}`).join(", ");
  return { clause: ` AND c.collection_id IN (${placeholders})`, params: collectionIds };
}

/** The chunks with these ids that belong to the tenant, in no particular order. */
export async function findChunkHits(db: Database, tenantId: string, ids: string[]): Promise<ChunkHit[]> {
  const hits: ChunkHit[] = [];
  // The tenant id takes one bound parameter, the ids the rest.
  for (const group of batches(ids, SQL_PARAMETER_LIMIT - 1)) {
    const placeholders = group.map((_, j) => `?${j + 2}`).join(", ");
    const { results } = await db.$client
      .prepare(
        `SELECT ${HIT_COLUMNS} FROM chunks c JOIN documents d ON d.id = c.document_id
         WHERE c.tenant_id = ?1 AND c.id IN (${placeholders})`,
      )
      .bind(tenantId, ...group)
      .all<ChunkHitRow>();
    hits.push(...results.map(toHit));
  }
  return hits;
}

/**
 * Turns free text into an FTS5 query: every word quoted (so no user input is read as FTS
 * syntax), joined with OR and left to bm25 to rank.
 */
export function toFtsQuery(text: string): string | null {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 64);
  return words.length > 0 ? words.map((word) => `"${word}"`).join(" OR ") : null;
}

/** The tenant's chunks that best match `text` by bm25, best first, with bm25 scores (lower is better). */
export async function searchChunkText(
  db: Database,
  tenantId: string,
  text: string,
  options: { limit: number; collectionIds?: string[] },
): Promise<(ChunkHit & { bm25: number })[]> {
  const query = toFtsQuery(text);
  if (!query) return [];
  const filter = collectionFilter(options.collectionIds, 4);
  const { results } = await db.$client
    .prepare(
      `SELECT ${HIT_COLUMNS}, bm25(chunks_fts) AS bm25
       FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid JOIN documents d ON d.id = c.document_id
       WHERE chunks_fts MATCH ?1 AND c.tenant_id = ?2${filter.clause}
       ORDER BY bm25 LIMIT ?3`,
    )
    .bind(query, tenantId, options.limit, ...filter.params)
    .all<ChunkHitRow & { bm25: number }>();
  return results.map(toHit);
}
