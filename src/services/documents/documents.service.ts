import type { Deps, TenantContext, Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import {
  CONTENT_SNIFF_BYTES,
  contentMatchesFormat,
  contentTypes,
  type DetectedType,
  detectContentType,
  formatFromFilename,
  SUPPORTED_TYPES_SENTENCE,
} from "../../ingest/detect-format";
import { bytesToBase64 } from "../../lib/base64";
import { sha256OfStream } from "../../lib/crypto";
import { normaliseFilename } from "../../lib/filenames";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { type PageRequest, positionAfter } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import { originalKey } from "../../storage/blob-store";
import { findCollection } from "../../storage/repositories/collections.repo";
import {
  type DocumentRow,
  deleteDocumentRows,
  deleteUploadingDocument,
  findCollectionAndContent,
  findDocument,
  findDocumentByContent,
  insertUploadingDocument,
  listDocuments as listDocumentRows,
  markDocumentDeleting,
  publishUploadedDocument,
  restartDocument,
} from "../../storage/repositories/documents.repo";
import type { DocumentFormat, DocumentStatus } from "../../storage/schema";
import { clearOlderGenerations } from "../ingestion/generations";
import type { IngestMessage } from "../ingestion/ingest-message";
import { MESSAGE_CONTENT_BYTES } from "../ingestion/message-content";
import {
  commitQuota,
  DEFAULT_RESERVATION_TTL_SECONDS,
  giveBackDocuments,
  giveBackStorage,
  type QuotaVerb,
  releaseQuota,
  reserveQuota,
  takeDeferredDraw,
} from "../quotas/quotas.service";
import { deletionLeaseUntil, finishDocumentDeletion, giveBackDeletedDocuments } from "./deletion";

export { giveBackDeletedDocuments } from "./deletion";

export interface UploadInput {
  collectionId: string;
  /** As the client sent it: normalised here (lib/filenames) before anything uses it. */
  filename: string;
  /** The upload as received: read in pieces, never copied whole into memory. */
  file: Blob;
  metadata?: Record<string, unknown>;
}

const ingestMessage = (
  document: DocumentRow,
  batch = 0,
  upload?: IngestMessage["upload"],
  content?: string,
): IngestMessage => ({
  kind: "ingest",
  tenant_id: document.tenantId,
  document_id: document.id,
  generation: document.generation,
  batch,
  ...(upload ? { upload } : {}),
  ...(content !== undefined ? { content } : {}),
});

/**
 * The bytes an upload's message carries (base64): a small file's, not a PDF's (a PDF's batches
 * read it from R2 and keep it open between them), so that the consumer need not read it back.
 */
async function messageContent(document: DocumentRow, file: Blob): Promise<string | undefined> {
  if (document.format === "pdf" || file.size > MESSAGE_CONTENT_BYTES) return undefined;
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}

/**
 * Stores an upload and queues its ingestion. Identical content already in the collection returns
 * the existing document (`duplicate: true`) and starts nothing. The plan's documents and storage
 * quotas are reserved first, at the caller's region's lease holder: over them, `quota_exceeded`.
 * A collection missing before anything is stored answers `not_found`, and one deleted while the
 * upload runs leaves nothing behind: no row, no file, no quota used.
 *
 * Near the caller, the 202 waits for one crossing to D1's primary: the `uploading` row (which takes
 * the document's listing position, so that listings show it at once) goes in while the file goes
 * to R2, then the ingestion message, which carries the reservation, is queued. The reservation's
 * commit and the row's publish follow the response (finishUpload); should the isolate end before
 * they are done, the queue consumer does them (the same verb, idempotent).
 */
export async function uploadDocument({
  ctx,
  deps,
  input,
}: Verb<UploadInput>): Promise<{ document: DocumentRow; duplicate: boolean }> {
  // The collection and identical content are looked up together, in one round trip, once the file
  // is checked and hashed: a missing collection still answers 404 before anything on the file.
  const { filename, format, sha256, existing } = await checkedContent({ ctx, deps, input });
  // The request's rate draw goes with the reservation below, unless identical content must first
  // be cleared away: a request over its rate limit changes nothing.
  if (existing && (existing.status === "deleting" || isAbandonedUpload(existing))) {
    await takeDeferredDraw({ ctx, deps });
  }
  if (existing?.status === "deleting") {
    // The same content, deleted a moment ago: its deletion is finished here, so that it can come in again.
    if (!(await finishDocumentDeletion({ ctx, deps, input: { document: existing } }))) {
      throw new AppError(
        "service_unavailable",
        `Identical content (${existing.filename}) is still being deleted from the collection; try again in a minute`,
      );
    }
  } else if (existing && isAbandonedUpload(existing)) {
    // An upload that died half-way (its reservation long expired) must not pass for this content.
    await deleteUploadingDocument(deps.db, ctx.tenantId, existing.id);
    await deps.blobs.delete([existing.blobKey]);
  } else if (existing) {
    return { document: existing, duplicate: true };
  }

  // The document and its bytes are reserved before anything is stored: concurrent uploads can
  // never pass the plan. The reservation is given back if the upload does not end in a new document.
  const reservation = await reserveQuota({
    ctx,
    deps,
    input: { amounts: { documents: 1, storage_bytes: input.file.size } },
  });
  const reservationId = reservation.id;
  const row = uploadingRow({ ctx, input: { ...input, filename, sha256, format } });
  const document = await storeUpload({
    ctx,
    deps,
    input: { document: row, file: input.file, reservationId },
  });
  if (document.id !== row.id) return { document, duplicate: true };
  await queueIngestion({
    ctx,
    deps,
    input: {
      document,
      upload: { reservation_id: reservationId, size_bytes: document.sizeBytes, region: ctx.region },
      content: await messageContent(document, input.file),
    },
  });
  const finishing = finishUpload({
    ctx,
    deps,
    input: { documentId: document.id, reservationId, sizeBytes: document.sizeBytes },
  });
  if (deps.afterResponse) {
    deps.afterResponse(finishing.catch((error) => logUnfinished(ctx, document, error)));
    return { document, duplicate: false };
  }
  // Without a request to answer first (a connector's sync), the upload finishes before it returns.
  const published = await finishing;
  if (!published) throw notFound("Collection", input.collectionId);
  return { document: published, duplicate: false };
}

const logUnfinished = (ctx: TenantContext, document: DocumentRow, error: unknown) =>
  log(
    "warn",
    "upload_finish_deferred",
    { request_id: ctx.requestId, tenant_id: ctx.tenantId, document_id: document.id },
    error,
  );

/**
 * Inserts the `uploading` row (only while the collection exists, so that a deletion of the
 * collection from then on finds it, and one before refuses it) while the file goes to R2. Returns
 * the row, or the document of identical content another upload stored first (its own row and file
 * undone). Whatever fails undoes the rest, the reservation given back.
 */
async function storeUpload({
  ctx,
  deps,
  input,
}: Verb<{ document: DocumentRow; file: Blob; reservationId: string }>): Promise<DocumentRow> {
  const { document, reservationId } = input;
  const [inserted, stored] = await Promise.allSettled([
    insertUploadingDocument(deps.db, document),
    deps.blobs.put(document.blobKey, input.file, document.contentType, document.filename),
  ]);
  const undo = async () => {
    await abandonUpload({ ctx, deps, input: { document, reservationId, counted: false } });
  };
  if (inserted.status === "rejected") {
    await undo();
    throw inserted.reason;
  }
  if (!inserted.value || inserted.value.duplicate) {
    await undo();
    if (!inserted.value) throw notFound("Collection", document.collectionId);
    return inserted.value.document;
  }
  if (stored.status === "rejected") {
    await undo();
    throw stored.reason;
  }
  return inserted.value.document;
}

/**
 * The file checked (checkFile), its digest, and the collection's document of identical content, if
 * any; `not_found` when the collection is missing, rather than anything the file's check found.
 */
async function checkedContent({ ctx, deps, input }: Verb<UploadInput>) {
  const missing = () => notFound("Collection", input.collectionId);
  let checked: Awaited<ReturnType<typeof checkFile>>;
  try {
    checked = await checkFile({ deps, input });
  } catch (error) {
    if (!(await findCollection(deps.db, ctx.tenantId, input.collectionId))) throw missing();
    throw error;
  }
  const sha256 = await sha256OfStream(input.file.stream());
  const { collectionFound, existing } = await findCollectionAndContent(
    deps.db,
    ctx.tenantId,
    input.collectionId,
    sha256,
  );
  if (!collectionFound) throw missing();
  return { ...checked, sha256, existing };
}

/** The file's normalised name and its format, once its size, extension and first bytes are acceptable. */
async function checkFile({
  deps,
  input,
}: {
  deps: Deps;
  input: Pick<UploadInput, "filename" | "file">;
}): Promise<{ filename: string; format: DocumentFormat }> {
  const filename = normaliseFilename(input.filename);
  if (input.file.size > deps.config.upload.maxBytes) {
    throw new AppError("payload_too_large", `The file is larger than ${deps.config.upload.maxBytes} bytes`, {
      max_bytes: deps.config.upload.maxBytes,
    });
  }
  const format = formatFromFilename(filename);
  if (!format) {
    throw new AppError(
      "unsupported_media_type",
      `Unsupported file type. Supported: ${SUPPORTED_TYPES_SENTENCE}`,
    );
  }
  const head = new Uint8Array(await input.file.slice(0, CONTENT_SNIFF_BYTES).arrayBuffer());
  if (!contentMatchesFormat(format, head, input.file.size)) {
    const detected = detectContentType(head);
    throw new AppError(
      "file_type_mismatch",
      `The content of ${filename} is not a valid .${format} file: it looks like ${detectedTypeWords[detected]}. ` +
        `Save or export it as .${format}, or upload it under its real extension. Supported: ${SUPPORTED_TYPES_SENTENCE}`,
      { declared_format: format, detected_type: detected },
    );
  }
  return { filename, format };
}

const detectedTypeWords: Record<DetectedType, string> = {
  pdf: "a PDF",
  docx: "a Word document",
  pptx: "a PowerPoint presentation",
  office_document: "another Office document (a spreadsheet?)",
  legacy_office: "an older Office file (.doc, .xls or .ppt)",
  zip: "a ZIP archive",
  archive: "a compressed archive",
  executable: "a program (an executable)",
  image: "an image",
  audio_video: "an audio or video file",
  html: "an HTML page",
  text: "plain text",
  unknown: "binary data of an unknown kind",
};

// Still uploading after its reservation's lifetime: the upload that inserted it is gone.
const isAbandonedUpload = (document: DocumentRow): boolean =>
  document.status === "uploading" &&
  Date.parse(document.updatedAt) < Date.now() - DEFAULT_RESERVATION_TTL_SECONDS * 1000;

function uploadingRow({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: UploadInput & { sha256: string; format: DocumentFormat };
}): DocumentRow {
  const id = newId("doc");
  const now = nowIso();
  return {
    id,
    tenantId: ctx.tenantId,
    collectionId: input.collectionId,
    filename: input.filename,
    format: input.format,
    contentType: contentTypes[input.format],
    sizeBytes: input.file.size,
    sha256: input.sha256,
    blobKey: originalKey(ctx.tenantId, id),
    metadata: input.metadata ?? null,
    status: "uploading",
    error: null,
    errorCode: null,
    pageCount: null,
    language: null,
    chunkCount: 0,
    tokenCount: 0,
    pagesDone: 0,
    unreadablePages: [],
    pagesTotal: null,
    generation: 1,
    leaseExpiresAt: null,
    sweeps: 0,
    listPosition: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Finishes an upload whose file is stored and whose ingestion is queued: counts its reservation,
 * then publishes its row (queued). The reservation is counted before the row is published because
 * a deletion gives back the quota of published documents only: an uploading one's is its upload's
 * to settle. Run after the 202 and again by the queue consumer (for an isolate that ended first):
 * each step is idempotent, and the call that counted the reservation is the one that gives it back
 * when the row is gone (its collection or the document deleted meanwhile). Returns the published
 * document, or undefined when it is gone.
 */
export async function finishUpload({
  ctx,
  deps,
  input,
}: QuotaVerb<{ documentId: string; reservationId: string; sizeBytes: number }>): Promise<
  DocumentRow | undefined
> {
  const { documentId, reservationId } = input;
  let counted: boolean;
  try {
    counted = await commitQuota({ ctx, deps, input: { reservationId, leased: true } });
  } catch (error) {
    // The tenant's quota objects go with a deleted tenant: a file stored after its rows went must not stay.
    if (!(await findDocument(deps.db, ctx.tenantId, documentId))) {
      await deps.blobs.delete([originalKey(ctx.tenantId, documentId)]);
    }
    throw error;
  }
  const published = await publishUploadedDocument(deps.db, ctx.tenantId, documentId, nowIso());
  if (published) return published;
  const row = await findDocument(deps.db, ctx.tenantId, documentId);
  if (row) return row; // published by another call
  // Gone with its collection, or deleted: the file may have landed after their deletion of it.
  await deps.blobs.delete([originalKey(ctx.tenantId, documentId)]);
  await returnUploadQuota({ ctx, deps, input: { reservationId, sizeBytes: input.sizeBytes, counted } });
  return undefined;
}

// Returns an upload's quota: counted, it is given back at the ledger; still reserved, released at its holder.
async function returnUploadQuota({
  ctx,
  deps,
  input,
}: QuotaVerb<{ reservationId: string; sizeBytes: number; counted: boolean }>): Promise<void> {
  if (input.counted) {
    await giveBackDocuments({ ctx, deps, input: { documents: [{ sizeBytes: input.sizeBytes }] } });
  } else await releaseQuota({ ctx, deps, input: { reservationId: input.reservationId, leased: true } });
}

// Undoes an upload that will not become a document: its row (while still uploading), its file and its quota.
async function abandonUpload({
  ctx,
  deps,
  input,
}: Verb<{ document: DocumentRow; reservationId: string; counted: boolean }>): Promise<void> {
  const { document, reservationId, counted } = input;
  await deleteUploadingDocument(deps.db, ctx.tenantId, document.id);
  await deps.blobs.delete([document.blobKey]);
  await returnUploadQuota({ ctx, deps, input: { reservationId, sizeBytes: document.sizeBytes, counted } });
}

// Queues a stored upload's ingestion (the message carries what finishing the upload needs); when
// that fails, undoes the upload rather than keep a document that would never be ingested.
async function queueIngestion({
  ctx,
  deps,
  input,
}: Verb<{
  document: DocumentRow;
  upload: NonNullable<IngestMessage["upload"]>;
  content?: string;
}>): Promise<void> {
  try {
    await deps.ingestQueue.send(ingestMessage(input.document, 0, input.upload, input.content));
  } catch (error) {
    const reservationId = input.upload.reservation_id;
    await abandonUpload({ ctx, deps, input: { document: input.document, reservationId, counted: false } });
    log("error", "ingestion_not_queued", { request_id: ctx.requestId, tenant_id: ctx.tenantId }, error);
    throw new AppError(
      "service_unavailable",
      "Ingestion could not be started; nothing was stored, try again",
    );
  }
}

/**
 * A document of the tenant; one whose deletion is under way is `not_found`, as it will be, and so
 * is the row of an upload that died half-way (it was never answered with a 202).
 */
export async function getDocument({ ctx, deps, input }: Verb<{ documentId: string }>): Promise<DocumentRow> {
  const document = await findDocument(deps.db, ctx.tenantId, input.documentId);
  if (!document || document.status === "deleting" || isAbandonedUpload(document)) {
    throw notFound("Document", input.documentId);
  }
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
  const { page, collectionId, status } = input;
  // An upload under way lists as queued (see presentDocument); one that died half-way not at all.
  const filter = {
    collectionId,
    statuses: status === "queued" ? ["queued" as const, "uploading" as const] : status && [status],
    uploadingSince: new Date(Date.now() - DEFAULT_RESERVATION_TTL_SECONDS * 1000).toISOString(),
  };
  return listDocumentRows(deps.db, ctx.tenantId, filter, {
    limit: page.limit,
    afterPosition: positionAfter(page),
  });
}

/** The original file as stored, for download. */
export async function getDocumentContent({ ctx, deps, input }: Verb<{ documentId: string }>) {
  const document = await getDocument({ ctx, deps, input });
  const object = await deps.blobs.stream(document.blobKey);
  if (!object) throw notFound("Content of document", document.id);
  return { document, body: object.body };
}

/**
 * Deletes a document: it becomes `deleting` (gone from listings and lookups), then its chunks leave
 * the tenant's shard, so search stops returning it at once, then its vectors, its file and its row;
 * its count and bytes go back to the tenant's quota. `done: false` when a step failed: the
 * deletion resumes on the next DELETE or sweep. Deleting a document being deleted resumes it.
 */
export async function deleteDocument({
  ctx,
  deps,
  input,
}: Verb<{ documentId: string }>): Promise<{ done: boolean }> {
  const document = await findDocument(deps.db, ctx.tenantId, input.documentId);
  if (!document) throw notFound("Document", input.documentId);
  return removeDocument({ ctx, deps, input: { document } });
}

async function removeDocument({
  ctx,
  deps,
  input,
}: Verb<{ document: DocumentRow }>): Promise<{ done: boolean }> {
  const { document } = input;
  const deleting = await markDocumentDeleting(
    deps.db,
    ctx.tenantId,
    document.id,
    deletionLeaseUntil(new Date()),
    nowIso(),
  );
  if (deleting) return { done: await finishDocumentDeletion({ ctx, deps, input: { document: deleting } }) };
  // Still uploading (nothing of it in the shard or the vector store yet), or gone meanwhile.
  const deleted = await deleteDocumentRows(deps.db, ctx.tenantId, [document.id]);
  if (deleted.length === 0) throw notFound("Document", document.id);
  await deps.blobs.delete([document.blobKey]);
  await giveBackDeletedDocuments({ ctx, deps, input: { documents: deleted } });
  return { done: true };
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
  await ingestAgain({ ctx, deps, input: { document: restarted } });
  return restarted;
}

/**
 * A restarted document's chunks of earlier generations leave search at once, and go with their
 * vectors before its new ingestion starts. Should the shard or the vector store fail here, the new
 * generation's first batch clears them (and search never shows them meanwhile once the shard knows
 * the new generation).
 */
async function ingestAgain({ ctx, deps, input }: Verb<{ document: DocumentRow }>): Promise<void> {
  const { document } = input;
  try {
    await clearOlderGenerations({
      ctx,
      deps,
      input: { documentId: document.id, generation: document.generation },
    });
  } catch (error) {
    log(
      "warn",
      "reindex_clear_deferred",
      { request_id: ctx.requestId, tenant_id: ctx.tenantId, document_id: document.id },
      error,
    );
  }
  await deps.ingestQueue.send(ingestMessage(document));
}

/**
 * Replaces a document's original with new content and ingests it again, as a reindex does (a
 * connector's file that changed at its source). Identical content changes nothing (`changed:
 * false`); content another document of the collection holds is a `conflict`. Storage the new
 * file adds is reserved against the plan first; storage it frees is given back.
 */
export async function replaceDocumentContent({
  ctx,
  deps,
  input,
}: Verb<Omit<UploadInput, "collectionId"> & { documentId: string }>): Promise<{
  document: DocumentRow;
  changed: boolean;
}> {
  const document = await getDocument({ ctx, deps, input });
  const { filename, format } = await checkFile({ deps, input });
  const sha256 = await sha256OfStream(input.file.stream());
  if (sha256 === document.sha256) return { document, changed: false };
  const twin = await findDocumentByContent(deps.db, ctx.tenantId, document.collectionId, sha256);
  if (twin) {
    throw new AppError(
      "conflict",
      `Identical content is already in the collection as ${twin.filename} (${twin.id})`,
    );
  }
  const grows = input.file.size - document.sizeBytes;
  const reservation = await reserveQuota({
    ctx,
    deps,
    input: { amounts: { storage_bytes: Math.max(0, grows) } },
  });
  let restarted: DocumentRow | undefined;
  try {
    await deps.blobs.put(document.blobKey, input.file, contentTypes[format], filename);
    restarted = await restartDocument(deps.db, ctx.tenantId, document.id, nowIso(), {
      filename,
      format,
      contentType: contentTypes[format],
      sizeBytes: input.file.size,
      sha256,
      metadata: input.metadata ?? document.metadata,
    });
  } catch (error) {
    await releaseQuota({ ctx, deps, input: { reservationId: reservation.id, leased: true } });
    throw error;
  }
  if (!restarted) {
    await releaseQuota({ ctx, deps, input: { reservationId: reservation.id, leased: true } });
    throw notFound("Document", document.id);
  }
  await commitQuota({ ctx, deps, input: { reservationId: reservation.id, leased: true } });
  await giveBackStorage({ ctx, deps, input: { bytes: -grows } });
  await ingestAgain({ ctx, deps, input: { document: restarted } });
  return { document: restarted, changed: true };
}
