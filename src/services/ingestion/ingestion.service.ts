import type { Deps } from "../../context";
import { AppError } from "../../errors";
import { type Chunk, chunkBlocks } from "../../ingest/chunk";
import {
  assertHasTextLayer,
  type BatchLimits,
  type ExtractedBatch,
  extractPagesFrom,
  noTextError,
  openPdfBatch,
  openPdfDocument,
  type PageTextNote,
  ParseError,
  PDF_PART_ABOVE_BYTES,
  type PdfDocumentHandle,
  scannedPageImages,
  type TextBlock,
  transcribedPageBlocks,
  unreadableOnly,
  unreadableTextError,
} from "../../ingest/parse";
import { loadTokenCounter } from "../../ingest/tokens";
import { sha256Hex } from "../../lib/crypto";
import { detectLanguage, type Language, loadLanguageDetector } from "../../lib/text/language";
import { nowIso } from "../../lib/time";
import {
  type DocumentRow,
  findDocument,
  takeIngestionLease,
  updateDocumentAtGeneration,
} from "../../storage/repositories/documents.repo";
import { tenantAcceptsWrites } from "../../storage/repositories/tenant-deletion.repo";
import type { DocumentFailureCode } from "../../storage/schema";
import type { ChunkTotals, ShardChunk } from "../../storage/search-shard/search-shard.interface";
import { commitQuota, type QuotaVerb, releaseQuota, reserveQuota } from "../quotas/quotas.service";
import { emitDocumentEvent } from "../webhooks/document-events";
import { clearOlderGenerations } from "./generations";
import type { IngestMessage } from "./ingest-message";
import { leaseUntil } from "./lease";
import type { OpenPdf } from "./open-pdfs";
import { pageWork } from "./page-work";

/** One batch of one document's ingestion, as an ingestion message names it. */
export interface IngestionBatch {
  documentId: string;
  /** The document's ingestion generation when the batch was queued; a stale batch is dropped. */
  generation: number;
  /** The message's place in the document's ingestion (0 starts it). */
  batch: number;
  /** The batch's first page; absent in older messages, whose batches held `pagesPerBatch` pages each. */
  firstPage?: number;
  /**
   * The file's bytes when the message carried them (an upload's first message, a small file that
   * is not a PDF): used instead of reading the original from R2 when their size is the document's.
   */
  content?: Uint8Array;
}

/** The queue message that asks for `batch` of the tenant's document. */
export const batchMessage = (tenantId: string, batch: IngestionBatch): IngestMessage => ({
  kind: "ingest",
  tenant_id: tenantId,
  document_id: batch.documentId,
  generation: batch.generation,
  batch: batch.batch,
  ...(batch.firstPage !== undefined && { first_page: batch.firstPage }),
});

/** The first page of a batch: the message's, or where a batch of `pagesPerBatch` pages each started. */
export const firstPageOf = (batch: IngestionBatch, pagesPerBatch: number): number =>
  batch.firstPage ?? batch.batch * pagesPerBatch + 1;

/**
 * What one message may take on: `pagesPerBatch` pages, fewer when their estimated CPU would pass
 * the message's budget. A page without text weighs as OCR only when a vision model will read it.
 */
export function batchLimits(deps: Pick<Deps, "config" | "pageTranscriber">): BatchLimits {
  return {
    pages: deps.config.ingest.pagesPerBatch,
    work: pageWork(deps.config.ingest.messageCpuMs, deps.pageTranscriber !== undefined),
  };
}

/**
 * The arguments of an ingestion verb. Ingestion runs with no request: its `ctx` is the context of
 * the job, the tenant the queue message names.
 */
export type IngestionVerb<Input> = QuotaVerb<Input>;

// Positions are unique across a document's batches: a batch starting at page p numbers its chunks
// from (p - 1) × this (a batch's chunks stay under 4,000 a page, as they stayed under 100,000 a
// batch of 25 pages). With the default 25 pages a batch, one starting at 25b + 1 numbers them from
// b × 100,000, as when batches were numbered by their place: a message queued then and delivered
// again now writes the same chunk ids.
const POSITIONS_PER_PAGE = 4_000;

/**
 * The id of a batch's page reservation, unique per first page: the batch's former number when it
 * starts where a batch of `pagesPerBatch` pages did (so a message queued before batches were sized
 * by their work still reserves once), else its first page.
 */
function batchKey(firstPage: number, pagesPerBatch: number): string {
  return (firstPage - 1) % pagesPerBatch === 0 ? String((firstPage - 1) / pagesPerBatch) : `p${firstPage}`;
}

// The generation is part of the id: rows and vectors of a run that a reindex overtook never share
// an id with the new run's, so neither can stand in for the other.
async function chunkId(documentId: string, generation: number, position: number, text: string) {
  const digest = await sha256Hex(
    `${documentId}\u0000${generation}\u0000${position}\u0000${await sha256Hex(text)}`,
  );
  return `chk_${digest.slice(0, 32)}`;
}

/**
 * Runs one batch of a document's ingestion: extract a batch of pages, chunk, store chunks in the
 * tenant's search shard (full-text indexed there), embed, upsert vectors, record progress, then queue the next
 * batch or mark the document ready. Safe to run twice: chunk ids are deterministic and totals are recounted.
 * Each batch's pages are reserved against the plan before indexing and counted once it is indexed.
 * Starting a batch and landing one renew the document's lease, which the sweeper watches.
 * Throws ParseError for permanent failures; anything else is worth a retry.
 */
export async function ingestDocumentBatch({
  ctx,
  deps,
  input,
}: IngestionVerb<
  IngestionBatch & {
    /**
     * An upload's first batch: finishes the upload (documents.service finishUpload) when its
     * request did not, which the lease tells: it is refused while the document is `uploading`.
     */
    finishUpload?: () => Promise<unknown>;
  }
>): Promise<number> {
  const { db } = deps;
  const { tenantId } = ctx;
  const { documentId, generation } = input;
  const firstPage = firstPageOf(input, deps.config.ingest.pagesPerBatch);
  // Taking the lease is the batch's first heartbeat (the sweeper leaves the document alone until it
  // expires), and reads the document in the same statement; it is refused when the batch is stale:
  // reindexed or deleted since, or already finished, and while the upload is not finished.
  const at = { tenantId, documentId, generation };
  const lease = () => takeIngestionLease(db, at, leaseUntil(new Date()), nowIso());
  let document = await lease();
  // A queued document's upload was finished (its reservation is counted before it is published);
  // otherwise it is finished here, idempotently, whatever became of the document.
  if (!document && input.finishUpload) {
    await input.finishUpload();
    document = await lease();
  }
  if (!document) {
    // An earlier attempt of a batch its document moved on from may have left chunks and vectors.
    if (overtaken(await findDocument(db, tenantId, documentId), generation)) {
      await clearOvertakenBatch({ ctx, deps, input: at });
    }
    return 0;
  }
  // A new generation's first batch clears what older ones left (a reindex whose own clearing failed).
  if (firstPage === 1 && generation > 1) await clearOlderGenerations({ ctx, deps, input: at });

  const file = await batchFile({ ctx, deps, input: { document, firstPage, content: input.content } });
  try {
    return await ingestBatchOf({ ctx, deps, input: { ...input, firstPage, document, file } });
  } finally {
    // Unless the batch handed it to `deps.openPdfs` for the next one.
    await file.pdf?.pdf.close();
  }
}

/** A batch's file: its bytes, or a PDF open on them (held over from the document's previous batch, or opened now). */
interface BatchFile {
  bytes?: Uint8Array;
  pdf?: OpenPdf;
  /** A large PDF opened for this batch's pages only: never held for the next batch. */
  batchOnly?: boolean;
}

/**
 * The file of the document's batch. A PDF this isolate holds open from the document's previous
 * batch is used again when R2's object still has the etag it was opened from (only the object's
 * metadata is read); otherwise the file is read and, for a PDF, opened. A PDF over
 * PDF_PART_ABOVE_BYTES is opened on the batch's pages only, read by ranges, and never held.
 */
async function batchFile({
  ctx,
  deps,
  input,
}: IngestionVerb<{ document: DocumentRow; firstPage: number; content?: Uint8Array }>): Promise<BatchFile> {
  const { document, content } = input;
  const missing = () => new ParseError("corrupt", "the original file is missing from storage");
  // The message's bytes are the upload's: its generation is the document's (the lease checked it),
  // and a replaced original starts a new generation.
  if (document.format !== "pdf" && content && content.length === document.sizeBytes)
    return { bytes: content };
  if (document.format !== "pdf") {
    const file = await deps.blobs.get(document.blobKey);
    if (!file) throw missing();
    return { bytes: file.bytes };
  }
  if (document.sizeBytes > PDF_PART_ABOVE_BYTES) {
    // A large PDF: the batch's pages are read by ranges into a small PDF of their own (parse/pdf-part.ts).
    const ranges = await deps.blobs.ranges(document.blobKey);
    if (!ranges) throw missing();
    // Read whole only when the part reader cannot follow the file: other documents' open PDFs make room.
    const readAll = async () => {
      await deps.openPdfs.clear();
      const file = await deps.blobs.get(document.blobKey);
      if (!file) throw missing();
      return file.bytes;
    };
    const pages = deps.config.ingest.pagesPerBatch;
    const pdf = await openPdfBatch({ ...ranges, readAll }, input.firstPage, pages);
    return { pdf: { pdf, etag: "", bytes: ranges.size }, batchOnly: true };
  }
  const held = await deps.openPdfs.take(ctx.tenantId, document.id);
  let file: Awaited<ReturnType<typeof deps.blobs.get>>;
  try {
    file = await deps.blobs.get(document.blobKey, { unlessEtag: held?.etag });
  } catch (error) {
    await held?.pdf.close();
    throw error;
  }
  if (held && file === "unchanged") return { pdf: held };
  await held?.pdf.close();
  if (!file || file === "unchanged") throw missing();
  const bytes = file.bytes.length;
  await deps.openPdfs.makeRoom(bytes);
  const pdf = await openPdfDocument(file.bytes);
  return { pdf: { pdf, etag: file.etag, bytes } };
}

/** The rest of `ingestDocumentBatch` once the batch holds its lease and its file. */
async function ingestBatchOf({
  ctx,
  deps,
  input,
}: IngestionVerb<
  IngestionBatch & { firstPage: number; document: DocumentRow; file: BatchFile }
>): Promise<number> {
  const { db } = deps;
  const { tenantId } = ctx;
  const { documentId, generation, batch, firstPage, document, file } = input;
  const extracted = await extractPagesFrom(
    document.format,
    file.pdf?.pdf ?? file.bytes!,
    firstPage,
    batchLimits(deps),
  );

  // A tenant whose deletion started gets nothing written (its deletion removes the document).
  if (!(await tenantAcceptsWrites(db, tenantId))) return 0;
  // With a vision model, the pages without text are offered to it: those that are one picture are read.
  const ocrPages = deps.pageTranscriber ? extracted.textlessPages : [];
  await Promise.all([loadLanguageDetector(), loadTokenCounter()]);
  const reservation = await reserveBatch({ ctx, deps, input: { ...input, extracted, ocrPages } });
  if (!reservation) return 0; // the plan's pages or tokens ran out: the document failed, saying so
  const language = documentLanguage(document, firstPage, extracted);
  let indexed: IndexedBatch;
  let ocr: Transcriptions;
  try {
    ocr = await transcribeScannedPages({ deps, input: { pdf: file.pdf?.pdf, pages: ocrPages } });
    indexed = await indexBatch({
      ctx,
      deps,
      input: { ...input, document, extracted, language, ocrBlocks: ocr.blocks },
    });
  } catch (error) {
    await releaseQuota({ ctx, deps, input: { reservationId: reservation } });
    // Failing after its document moved on, the batch takes back what it wrote rather than retry.
    if (overtaken(await findDocument(db, tenantId, documentId), generation)) {
      await clearOvertakenBatch({ ctx, deps, input: { documentId, generation } });
      return 0;
    }
    throw error;
  }
  // Overtaken: nothing of the batch was kept, so nothing is counted.
  if (!indexed.current) {
    await releaseQuota({ ctx, deps, input: { reservationId: reservation } });
    return 0;
  }
  // Tokens count as the model reported them (reserved only when pages were offered to it).
  const actual = ocrPages.length > 0 ? { llm_tokens: ocr.tokens } : undefined;
  await commitQuota({ ctx, deps, input: { reservationId: reservation, actual } });
  const pagesIndexed = Math.max(0, extracted.lastPage - firstPage + 1);

  const unreadablePages = withBatchUnreadable(document.unreadablePages, firstPage, extracted);
  const progress = {
    pageCount: extracted.pageCount,
    pagesTotal: extracted.pageCount,
    pagesDone: extracted.lastPage,
    language,
    unreadablePages,
    leaseExpiresAt: leaseUntil(new Date()),
    sweeps: 0,
    updatedAt: nowIso(),
  };
  // Reindexed or deleted meanwhile (the update finds no row at the generation): the newer run owns the document.
  const recordProgress = () => updateDocumentAtGeneration(db, tenantId, documentId, generation, progress);

  if (extracted.hasMore) {
    if (!(await recordProgress())) return pagesIndexed;
    // Held for the next batch, which this isolate may well run.
    if (file.pdf && !file.batchOnly) await deps.openPdfs.keep(tenantId, documentId, file.pdf);
    file.pdf = undefined;
    const next = { documentId, generation, batch: batch + 1, firstPage: extracted.lastPage + 1 };
    await deps.ingestQueue.send(batchMessage(tenantId, next));
    return pagesIndexed;
  }
  // A document of one message holds in the shard, at its generation, the very rows this batch
  // wrote (chunk ids are fixed by position and text; pages read by a vision model may read
  // otherwise on a retry, so those are recounted): its totals are theirs, and its progress is
  // written with its readiness. A later batch records its pages first (a crash before `ready`
  // then resumes after them) and recounts the document in the shard.
  const oneMessage = firstPage === 1 && ocrPages.length === 0;
  if (!oneMessage && !(await recordProgress())) return pagesIndexed;
  const totals = oneMessage
    ? indexed.totals
    : await deps.searchShards.chunkTotals(tenantId, documentId, generation);
  try {
    assertReadable(
      document.format,
      totals,
      unreadablePages,
      extracted.pageCount,
      deps.pageTranscriber !== undefined,
    );
  } catch (error) {
    // The pages read are recorded before the document fails, saying why (unless a newer run owns it).
    if (oneMessage && !(await recordProgress())) return pagesIndexed;
    throw error;
  }
  const ready = await updateDocumentAtGeneration(db, tenantId, documentId, generation, {
    ...(oneMessage && progress),
    status: "ready",
    chunkCount: totals.chunks,
    tokenCount: totals.tokens,
    leaseExpiresAt: null,
    updatedAt: nowIso(),
  });
  if (ready) await emitDocumentEvent({ ctx, deps, input: { documentId, type: "document.ready" } });
  return pagesIndexed;
}

/**
 * Throws the ParseError of a finished document with nothing worth indexing: no chunks (its pages
 * unreadable, or no text at all), or a PDF whose chunks are only page numbers and the like.
 */
function assertReadable(
  format: DocumentRow["format"],
  totals: ChunkTotals,
  unreadablePages: PageTextNote[],
  pageCount: number,
  ocrTried: boolean,
): void {
  if (totals.chunks === 0) {
    throw unreadableOnly(unreadablePages).length > 0
      ? unreadableTextError(unreadableOnly(unreadablePages))
      : noTextError(format, ocrTried);
  }
  // A scan with a page number per page has chunks, but no text layer worth indexing.
  if (format === "pdf") assertHasTextLayer(totals.characters, pageCount, ocrTried);
}

/**
 * The document's language: detected on its first batch's text (again on a reindex), or on a later
 * batch's when the first told nothing (a cover page, say).
 */
function documentLanguage(
  document: DocumentRow,
  firstPage: number,
  extracted: ExtractedBatch,
): Language | null {
  if (firstPage > 1 && document.language) return document.language;
  return detectLanguage(extracted.blocks.map((block) => block.text).join("\n")) ?? null;
}

/**
 * The document's page notes once this batch is in (pages left out as unreadable, pages indexed
 * after rejoining letter-spaced words): those of earlier batches, and this batch's own (replacing
 * any a re-delivery of the batch recorded before).
 */
function withBatchUnreadable(
  recorded: PageTextNote[],
  firstPage: number,
  extracted: ExtractedBatch,
): PageTextNote[] {
  const earlier = recorded.filter((entry) => entry.page < firstPage || entry.page > extracted.lastPage);
  const letterSpaced = extracted.letterSpacedPages.map((page) => ({
    page,
    reason: "letter_spaced" as const,
  }));
  return [...earlier, ...extracted.unreadablePages, ...letterSpaced].sort((a, b) => a.page - b.page);
}

/** What the vision model read on a batch's scanned pages, and the tokens it used. */
interface Transcriptions {
  blocks: TextBlock[];
  tokens: number;
}

/**
 * Reads the scanned pages among `pages` with the vision model, one picture at a time (the parser
 * images them from the batch's open PDF; pages that are not one picture are skipped).
 */
async function transcribeScannedPages({
  deps,
  input,
}: Omit<
  IngestionVerb<{ pdf: PdfDocumentHandle | undefined; pages: number[] }>,
  "ctx"
>): Promise<Transcriptions> {
  const transcriber = deps.pageTranscriber;
  const result: Transcriptions = { blocks: [], tokens: 0 };
  if (!transcriber || !input.pdf || input.pages.length === 0) return result;
  // A decoded scan takes up to 36 MB: other documents' open PDFs make room for it.
  await deps.openPdfs.clear();
  for await (const { page, image } of scannedPageImages(input.pdf, input.pages)) {
    if (!image) continue;
    const { text, usage } = await transcriber.transcribe(image);
    result.tokens += usage.totalTokens;
    result.blocks.push(...transcribedPageBlocks(page, text));
  }
  return result;
}

/** A batch once indexed: whether it is kept (false: overtaken, nothing left behind), and its chunks' totals. */
interface IndexedBatch {
  current: boolean;
  totals: ChunkTotals;
}

/** Characters as SQLite's length() counts them (code points), so that totals match the shard's. */
function codePoints(text: string): number {
  let surrogates = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff) surrogates++;
  }
  return text.length - surrogates;
}

// Chunks a batch, stores the chunks in the tenant's shard (full-text indexed there), embeds them and
// upserts vectors. Not current when a deletion or a reindex overtook the batch: it then leaves nothing behind.
async function indexBatch({
  ctx,
  deps,
  input,
}: IngestionVerb<
  IngestionBatch & {
    firstPage: number;
    document: DocumentRow;
    extracted: ExtractedBatch;
    language: Language | null;
    ocrBlocks: TextBlock[];
  }
>): Promise<IndexedBatch> {
  const { tenantId } = ctx;
  const { documentId, generation, firstPage, document, extracted, language } = input;
  // Transcribed pages are chunked on their own, so that no chunk mixes OCR with the text layer and
  // every OCR chunk carries the OCR section.
  const textChunks = chunkBlocks(extracted.blocks, deps.config.chunking);
  const ocrChunks = chunkBlocks(input.ocrBlocks, deps.config.chunking).map((chunk) => ({
    ...chunk,
    position: textChunks.length + chunk.position,
  }));
  const chunks = [...textChunks, ...ocrChunks];
  const rows = await Promise.all(
    chunks.map(async (chunk: Chunk): Promise<ShardChunk> => {
      const position = (firstPage - 1) * POSITIONS_PER_PAGE + chunk.position;
      return {
        id: await chunkId(documentId, generation, position, chunk.text),
        collectionId: document.collectionId,
        documentId,
        filename: document.filename,
        position,
        text: chunk.text,
        // A chunk in another language than its document's (a mixed document) is analysed as such.
        language: detectLanguage(chunk.text) ?? language,
        pageStart: chunk.pageStart,
        pageEnd: chunk.pageEnd,
        section: chunk.sectionPath.length > 0 ? chunk.sectionPath.join(" > ") : null,
        pageOffsets: chunk.pageOffsets,
        tokenCount: chunk.tokenCount,
        generation,
      };
    }),
  );
  await deps.searchShards.insertChunks(tenantId, rows);
  const totals: ChunkTotals = {
    chunks: rows.length,
    tokens: rows.reduce((sum, row) => sum + row.tokenCount, 0),
    characters: rows.reduce((sum, row) => sum + codePoints(row.text), 0),
  };
  if (rows.length === 0) return { current: true, totals };
  const vectors = await deps.embedder.embed(
    rows.map((row) => (row.section ? `${row.section}\n${row.text}` : row.text)),
    "document",
  );
  await upsertChunkVectors(deps, tenantId, rows, vectors);
  const current = await keepIfStillCurrent({
    ctx,
    deps,
    input: { documentId, generation, chunkIds: rows.map((row) => row.id) },
  });
  return { current, totals };
}

/**
 * A deletion or a reindex that ran while the batch was indexing has already cleared the document's
 * chunks in the shard and its vectors, possibly before the batch wrote its own (the shard and the
 * vector store are not D1: no transaction spans them and the document's row). Re-reading the
 * document after both writes settles it: still at the generation, any later deletion or reindex
 * removes them itself; otherwise the batch deletes what it wrote and says so (false).
 */
async function keepIfStillCurrent({
  ctx,
  deps,
  input,
}: IngestionVerb<
  Pick<IngestionBatch, "documentId" | "generation"> & { chunkIds: string[] }
>): Promise<boolean> {
  const document = await findDocument(deps.db, ctx.tenantId, input.documentId);
  if (!overtaken(document, input.generation)) return true;
  await clearOvertakenBatch({ ctx, deps, input });
  return false;
}

/** Whether a batch's document moved on from its generation: deleted, being deleted, or reindexed. */
const overtaken = (document: DocumentRow | undefined, generation: number): boolean =>
  !document || document.status === "deleting" || document.generation !== generation;

/**
 * Takes back what runs of an overtaken generation stored: the generation's chunks in the shard
 * (search already hides them: the shard knows the document's generation, or that it was removed)
 * and their vectors, with those of `chunkIds` (vectors a batch upserted after a deletion had
 * cleared the shard). The generation is in the chunk ids: a newer run's are never touched.
 */
async function clearOvertakenBatch({
  ctx,
  deps,
  input,
}: IngestionVerb<Pick<IngestionBatch, "documentId" | "generation"> & { chunkIds?: string[] }>) {
  const { documentId, generation } = input;
  const stored = await deps.searchShards.chunkIdsOfGeneration(ctx.tenantId, documentId, generation);
  const ids = [...new Set([...stored, ...(input.chunkIds ?? [])])];
  if (ids.length > 0) await deps.vectorStore.deleteByIds(ctx.tenantId, ids);
  await deps.searchShards.deleteByDocument(ctx.tenantId, documentId, generation);
}

/**
 * Reserves the batch's pages against the plan, and the most tokens the vision model may use on the
 * pages offered to it; the id is the batch's own, so a re-delivered batch counts once. When the
 * pages or tokens ran out, fails the document with the reason and returns undefined: the pages of
 * earlier batches stay indexed, and a reindex after the reset or an upgrade resumes.
 */
async function reserveBatch({
  ctx,
  deps,
  input,
}: IngestionVerb<
  IngestionBatch & { firstPage: number; extracted: ExtractedBatch; ocrPages: number[] }
>): Promise<string | undefined> {
  const { extracted, firstPage } = input;
  const pages = Math.max(0, extracted.lastPage - firstPage + 1);
  const ocrTokens = input.ocrPages.length * (deps.pageTranscriber?.tokensPerPageCeiling ?? 0);
  try {
    const reservation = await reserveQuota({
      ctx,
      deps,
      input: {
        amounts: ocrTokens > 0 ? { ingested_pages: pages, llm_tokens: ocrTokens } : { ingested_pages: pages },
        reservationId: `ingest:${input.documentId}:${input.generation}:${batchKey(firstPage, deps.config.ingest.pagesPerBatch)}`,
      },
    });
    return reservation.id;
  } catch (error) {
    if (!(error instanceof AppError && error.code === "quota_exceeded")) throw error;
    const { limit, plan, remaining, resets_at: resetsAt, metric } = error.extensions;
    const where = extracted.pageCount > 1 ? ` at page ${firstPage} of ${extracted.pageCount}` : "";
    const quota =
      metric === "llm_tokens"
        ? `quota of ${limit} LLM tokens per billing period, which OCR of scanned pages uses, ` +
          `is used up (${remaining} left, up to ${ocrTokens} needed)`
        : `quota of ${limit} ingested pages per billing period is used up (${remaining} left, ${pages} needed)`;
    await failDocumentIngestion({
      ctx,
      deps,
      input: {
        ...input,
        code: metric === "llm_tokens" ? "tokens_quota_exceeded" : "pages_quota_exceeded",
        reason:
          `ingestion stopped${where}: the ${plan} plan's ${quota}; reindex the document after the quota ` +
          `resets at ${resetsAt}, or after upgrading`,
      },
    });
    return undefined;
  }
}

/** Records a permanent failure on the document, unless a newer ingestion has started. */
export async function failDocumentIngestion({
  ctx,
  deps,
  input,
}: IngestionVerb<
  Pick<IngestionBatch, "documentId" | "generation"> & { reason: string; code: DocumentFailureCode }
>): Promise<void> {
  const failed = await updateDocumentAtGeneration(deps.db, ctx.tenantId, input.documentId, input.generation, {
    status: "failed",
    error: input.reason,
    errorCode: input.code,
    leaseExpiresAt: null,
    updatedAt: nowIso(),
  });
  if (failed) {
    await emitDocumentEvent({ ctx, deps, input: { documentId: input.documentId, type: "document.failed" } });
  }
}

/** Upserts the vectors of stored chunks, `vectors[i]` being the embedding of `rows[i]`. */
export async function upsertChunkVectors(
  deps: Pick<Deps, "vectorStore">,
  tenantId: string,
  rows: ShardChunk[],
  vectors: Float32Array[],
): Promise<void> {
  await deps.vectorStore.upsert(
    tenantId,
    rows.map((row, i) => ({
      id: row.id,
      tenantId,
      collectionId: row.collectionId,
      documentId: row.documentId,
      vector: vectors[i]!,
    })),
  );
}
