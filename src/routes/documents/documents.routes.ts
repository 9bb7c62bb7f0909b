import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { SUPPORTED_TYPES_SENTENCE } from "../../ingest/detect-format";
import { letterSpacedPagesSentence, unreadableOnly, unreadablePagesSentence } from "../../ingest/parse";
import { attachmentDisposition } from "../../lib/filenames";
import { positionKey, toPage, toPageRequest } from "../../lib/pagination";
import { SUPPORTED_LANGUAGES } from "../../lib/text/language";
import { limitBody } from "../../middleware/body-limit";
import { meteredRoute } from "../../middleware/rate-limit";
import { tenantContext } from "../../middleware/tenant-context";
import {
  deleteDocument,
  getDocument,
  getDocumentContent,
  listDocuments,
  reindexDocument,
  uploadDocument,
} from "../../services/documents";
import type { DocumentRow } from "../../storage/repositories/documents.repo";
import { type DocumentStatus, documentStatuses } from "../../storage/schema";
import {
  idParams,
  jsonContent,
  newRouter,
  PageQuerySchema,
  pageOf,
  problemResponses,
  tenantSecurity,
} from "../openapi";

export const DocumentWarningSchema = z
  .object({
    code: z.enum(["unreadable_pages", "letter_spaced_pages"]).openapi({
      description:
        "unreadable_pages: pages left out, their text layer does not decode to text; letter_spaced_pages: pages indexed once the words their text layer spaced out letter by letter were rejoined",
    }),
    pages: z.array(z.number().int()).openapi({ description: "The pages (1-based) the warning is about" }),
    message: z.string().openapi({
      description: "A sentence for the user",
      example:
        "pages 2–21: the text layer does not decode to words (its fonts have no usable Unicode map), so the text cannot be read; OCR would be needed, from a rendering of the page that a Worker cannot draw (a vision model, VISION_MODEL, reads scanned pages only)",
    }),
  })
  .openapi("DocumentWarning");

export const DocumentSchema = z
  .object({
    id: z.string().openapi({ example: "doc_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    collection_id: z.string(),
    filename: z.string(),
    content_type: z.string(),
    size_bytes: z.number().int(),
    sha256: z.string(),
    status: z.enum(documentStatuses),
    error: z.string().nullable().openapi({ description: "Why ingestion failed, for the user" }),
    page_count: z.number().int().nullable(),
    language: z
      .enum(SUPPORTED_LANGUAGES)
      .nullable()
      .openapi({ description: "ISO 639-1 code detected at ingestion; null until then, or when unsupported" }),
    chunk_count: z.number().int(),
    token_count: z.number().int(),
    progress: z.object({ pages_done: z.number().int(), pages_total: z.number().int().nullable() }),
    warnings: z.array(DocumentWarningSchema).openapi({
      description: "What ingestion could not do although the document is usable, e.g. pages left out",
    }),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("Document");

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

export const UploadedDocumentSchema = DocumentSchema.extend({
  duplicate: z.boolean().openapi({ description: "true: identical content was already in the collection" }),
}).openapi("UploadedDocument");

export const DocumentPageSchema = pageOf(DocumentSchema, "DocumentPage");

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

const UploadFormSchema = z.object({
  file: z
    .instanceof(File, { message: "attach the document as the multipart field `file`" })
    .openapi({ type: "string", format: "binary", description: SUPPORTED_TYPES_SENTENCE }),
  metadata: z
    .string()
    .max(16_384)
    .optional()
    .openapi({ description: "A JSON object kept with the document", example: '{"source": "intranet"}' }),
});

// Multipart overhead allowance on top of the file itself.
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** Refuses an oversized upload while it is read (from its Content-Length when it has one). */
const limitUploadBody = limitBody({
  maxBytes: (c) => c.var.deps.config.upload.maxBytes + FORM_OVERHEAD_BYTES,
  tooLarge: (c) => {
    const max = c.var.deps.config.upload.maxBytes;
    return new AppError("payload_too_large", `The file is larger than ${max} bytes`, { max_bytes: max });
  },
});

function parseMetadata(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new AppError("validation_failed", "metadata must be a JSON object", {
      errors: [{ field: "form.metadata", message: "must be a JSON object" }],
    });
  }
  return value as Record<string, unknown>;
}

const documentParams = idParams("document_id", "doc_01jd3v9k2m4n5p6q7r8s9t0v1w");

const ListDocumentsQuery = PageQuerySchema.extend({
  collection_id: z.string().max(64).optional(),
  status: z.enum(documentStatuses).optional(),
});

export const documentsRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/documents/upload/{collection_id}",
      tags: ["Documents"],
      summary: "Upload a document; ingestion runs in the background",
      description: `Supported: ${SUPPORTED_TYPES_SENTENCE}. Identical content already in the collection returns the existing document with \`duplicate: true\`. Beyond the plan's documents or storage: 429 \`quota_exceeded\`. Responses carry \`RateLimit-*\` headers.`,
      security: tenantSecurity,
      middleware: [meteredRoute, limitUploadBody] as const,
      request: {
        params: idParams("collection_id", "col_01jd3v9k2m4n5p6q7r8s9t0v1w"),
        body: { required: true, content: { "multipart/form-data": { schema: UploadFormSchema } } },
      },
      responses: {
        202: jsonContent(UploadedDocumentSchema, "Stored and queued for ingestion"),
        200: jsonContent(UploadedDocumentSchema, "Identical content already in the collection"),
        ...problemResponses(404, 413, 415, 429),
      },
    }),
    async (c) => {
      const form = c.req.valid("form");
      const { document, duplicate } = await uploadDocument({
        ctx: tenantContext(c),
        deps: c.var.deps,
        input: {
          collectionId: c.req.valid("param").collection_id,
          filename: form.file.name,
          file: form.file,
          metadata: parseMetadata(form.metadata),
        },
      });
      const body = { ...presentDocument(document), duplicate };
      return duplicate ? c.json(body, 200) : c.json(body, 202);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/documents",
      tags: ["Documents"],
      summary: "List documents, optionally by collection and status",
      security: tenantSecurity,
      request: { query: ListDocumentsQuery },
      responses: {
        200: jsonContent(DocumentPageSchema, "A page of documents"),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const page = toPageRequest(query);
      const rows = await listDocuments({
        ctx: tenantContext(c),
        deps: c.var.deps,
        input: { collectionId: query.collection_id, status: query.status, page },
      });
      // Documents list in the order they were published, which a cursor can never skip.
      return c.json(
        toPage(rows, page, presentDocument, (row) => positionKey(row.listPosition ?? 0)),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/documents/{document_id}",
      tags: ["Documents"],
      summary: "A document with its ingestion status and progress",
      security: tenantSecurity,
      request: { params: documentParams },
      responses: { 200: jsonContent(DocumentSchema, "The document"), ...problemResponses(404) },
    }),
    async (c) => {
      const row = await getDocument({
        ctx: tenantContext(c),
        deps: c.var.deps,
        input: { documentId: c.req.valid("param").document_id },
      });
      return c.json(presentDocument(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/documents/{document_id}/content",
      tags: ["Documents"],
      summary: "Download the original file",
      security: tenantSecurity,
      request: { params: documentParams },
      responses: {
        200: {
          description: "The original file",
          content: { "application/octet-stream": { schema: z.any() } },
        },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { document, body } = await getDocumentContent({
        ctx: tenantContext(c),
        deps: c.var.deps,
        input: { documentId: c.req.valid("param").document_id },
      });
      return new Response(body, {
        headers: {
          "content-type": document.contentType,
          "content-length": String(document.sizeBytes),
          "content-disposition": attachmentDisposition(document.filename),
          "x-request-id": c.var.requestId,
        },
      });
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/documents/{document_id}",
      tags: ["Documents"],
      summary: "Delete a document, its chunks, vectors and file",
      description:
        "The document disappears from listings, search and chat at once. 204 once everything is " +
        "gone; 202 when a step failed and the deletion goes on in the background (DELETE again is " +
        "harmless and answers 202 or 204 until it is done, then 404).",
      security: tenantSecurity,
      request: { params: documentParams },
      responses: {
        202: { description: "Deletion under way" },
        204: { description: "Deleted" },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { done } = await deleteDocument({
        ctx: tenantContext(c),
        deps: c.var.deps,
        input: { documentId: c.req.valid("param").document_id },
      });
      return c.body(null, done ? 204 : 202);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/documents/{document_id}/reindex",
      tags: ["Documents"],
      summary: "Ingest a document again from its stored original",
      security: tenantSecurity,
      request: { params: documentParams },
      responses: { 202: jsonContent(DocumentSchema, "Queued again"), ...problemResponses(404) },
    }),
    async (c) => {
      const row = await reindexDocument({
        ctx: tenantContext(c),
        deps: c.var.deps,
        input: { documentId: c.req.valid("param").document_id },
      });
      return c.json(presentDocument(row), 202);
    },
  );
