import type { Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import {
  CONTENT_SNIFF_BYTES,
  contentMatchesFormat,
  contentTypes,
  formatFromFilename,
  SUPPORTED_TYPES_SENTENCE,
} from "../../ingest/detect-format";
import { sha256OfStream } from "../../lib/crypto";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import type { IngestMessage } from "../../queues/messages";
import { originalKey } from "../../storage/blob-store";
import { findCollection } from "../../storage/repositories/collections.repo";
import {
  type DocumentRow,
  deleteDocumentRows,
  findDocument,
  findDocumentByContent,
  insertDocumentOrGetDuplicate,
  listDocuments as listDocumentRows,
  restartDocument,
} from "../../storage/repositories/documents.repo";
import type { DocumentFormat, DocumentStatus } from "../../storage/schema";
import { commitQuota, giveBackDocuments, releaseQuota, reserveQuota } from "../quotas";

export interface UploadInput {
  collectionId: string;
  filename: string;
  /** The upload as received: read in pieces, never copied whole into memory. */
  file: Blob;
  metadata?: Record<string, unknown>;
}

const ingestMessage = (document: DocumentRow, batch = 0): IngestMessage => ({
  kind: "ingest",
  tenant_id: document.tenantId,
  document_id: document.id,
  generation: document.generation,
  batch,
});

/**
 * Stores an upload and queues its ingestion. Identical content already in the collection returns
 * the existing document (`duplicate: true`) and starts nothing. The plan's documents and storage
 * quotas are reserved first: over them, `quota_exceeded`.
 */
export async function uploadDocument({
  ctx,
  deps,
  input,
}: Verb<UploadInput>): Promise<{ document: DocumentRow; duplicate: boolean }> {
  if (!(await findCollection(deps.db, ctx.tenantId, input.collectionId))) {
    throw notFound("Collection", input.collectionId);
  }
  if (input.file.size > deps.config.upload.maxBytes) {
    throw new AppError("payload_too_large", `The file is larger than ${deps.config.upload.maxBytes} bytes`, {
      max_bytes: deps.config.upload.maxBytes,
    });
  }
  const format = formatFromFilename(input.filename);
  if (!format) {
    throw new AppError(
      "unsupported_media_type",
      `Unsupported file type. Supported: ${SUPPORTED_TYPES_SENTENCE}`,
    );
  }
  const head = new Uint8Array(await input.file.slice(0, CONTENT_SNIFF_BYTES).arrayBuffer());
  if (!contentMatchesFormat(format, head, input.file.size)) {
    throw new AppError(
      "unsupported_media_type",
      `The content of ${input.filename} is not a valid .${format} file. Supported: ${SUPPORTED_TYPES_SENTENCE}`,
    );
  }

  const sha256 = await sha256OfStream(input.file.stream());
  const existing = await findDocumentByContent(deps.db, ctx.tenantId, input.collectionId, sha256);
  if (existing) return { document: existing, duplicate: true };

  // The document and its bytes are reserved before anything is stored: concurrent uploads can
  // never pass the plan. The reservation is given back if the upload does not end in a new document.
  const reservation = await reserveQuota({
    ctx,
    deps,
    input: { amounts: { documents: 1, storage_bytes: input.file.size } },
  });
  let stored: { document: DocumentRow; duplicate: boolean };
  try {
    stored = await storeUpload({ ctx, deps, input: { ...input, sha256, format } });
  } catch (error) {
    await releaseQuota({ ctx, deps, input: { reservationId: reservation.id } });
    throw error;
  }
  if (stored.duplicate) await releaseQuota({ ctx, deps, input: { reservationId: reservation.id } });
  else await commitQuota({ ctx, deps, input: { reservationId: reservation.id } });
  return stored;
}

// Stores the original, inserts the row and queues ingestion; undoes the first two if queueing fails.
async function storeUpload({
  ctx,
  deps,
  input,
}: Verb<UploadInput & { sha256: string; format: DocumentFormat }>): Promise<{
  document: DocumentRow;
  duplicate: boolean;
}> {
  const { sha256, format } = input;
  const id = newId("doc");
  const now = nowIso();
  const blobKey = originalKey(ctx.tenantId, id);
  // The file is stored before the row exists, so no row ever points at a missing file.
  await deps.blobs.put(blobKey, input.file, contentTypes[format], input.filename);
  const { document, duplicate } = await insertDocumentOrGetDuplicate(deps.db, {
    id,
    tenantId: ctx.tenantId,
    collectionId: input.collectionId,
    filename: input.filename,
    format,
    contentType: contentTypes[format],
    sizeBytes: input.file.size,
    sha256,
    blobKey,
    metadata: input.metadata ?? null,
    status: "queued",
    error: null,
    pageCount: null,
    chunkCount: 0,
    tokenCount: 0,
    pagesDone: 0,
    pagesTotal: null,
    generation: 1,
    createdAt: now,
    updatedAt: now,
  });
  if (duplicate) {
    // A concurrent upload of the same content won the race.
    await deps.blobs.delete([blobKey]);
    return { document, duplicate };
  }
  try {
    await deps.ingestQueue.send(ingestMessage(document));
  } catch (error) {
    await deleteDocumentRows(deps.db, ctx.tenantId, [document.id]);
    await deps.blobs.delete([blobKey]);
    console.error(`[${ctx.requestId}] could not queue ingestion`, error);
    throw new AppError(
      "service_unavailable",
      "Ingestion could not be started; nothing was stored, try again",
    );
  }
  return { document, duplicate: false };
}

export async function getDocument({ ctx, deps, input }: Verb<{ documentId: string }>): Promise<DocumentRow> {
  const document = await findDocument(deps.db, ctx.tenantId, input.documentId);
  if (!document) throw notFound("Document", input.documentId);
  return document;
}

export async function listDocuments({
  ctx,
  deps,
  input,
}: Verb<{ collectionId?: string; status?: DocumentStatus; page: PageRequest }>) {
  if (input.collectionId && !(await findCollection(deps.db, ctx.tenantId, input.collectionId))) {
    throw notFound("Collection", input.collectionId);
  }
  const { page, ...filter } = input;
  return listDocumentRows(deps.db, ctx.tenantId, filter, page);
}

/** The original file as stored, for download. */
export async function getDocumentContent({ ctx, deps, input }: Verb<{ documentId: string }>) {
  const document = await getDocument({ ctx, deps, input });
  const object = await deps.blobs.stream(document.blobKey);
  if (!object) throw notFound("Content of document", document.id);
  return { document, body: object.body };
}

/**
 * Deletes a document: its row, then its chunks and full-text rows in the tenant's shard, so search
 * stops returning it at once, then its vectors and its file; its count and bytes go back to the
 * tenant's quota.
 */
export async function deleteDocument({ ctx, deps, input }: Verb<{ documentId: string }>): Promise<void> {
  const document = await getDocument({ ctx, deps, input });
  const deleted = await deleteDocumentRows(deps.db, ctx.tenantId, [document.id]);
  await deps.searchShards.deleteByDocument(ctx.tenantId, document.id);
  await deps.vectorStore.deleteByDocument(ctx.tenantId, document.id);
  await deps.blobs.delete([document.blobKey]);
  await giveBackDocuments({ ctx, deps, input: { documents: deleted } });
}

/** Ingests a document again from its stored original (for example after a configuration change). */
export async function reindexDocument({
  ctx,
  deps,
  input,
}: Verb<{ documentId: string }>): Promise<DocumentRow> {
  await getDocument({ ctx, deps, input });
  const restarted = await restartDocument(deps.db, ctx.tenantId, input.documentId, nowIso());
  if (!restarted) throw notFound("Document", input.documentId);
  await deps.searchShards.deleteByDocument(ctx.tenantId, restarted.id);
  await deps.vectorStore.deleteByDocument(ctx.tenantId, restarted.id);
  await deps.ingestQueue.send(ingestMessage(restarted));
  return restarted;
}
