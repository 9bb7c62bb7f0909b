import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { SUPPORTED_TYPES_SENTENCE } from "../../ingest/detect-format";
import { attachmentDisposition } from "../../lib/filenames";
import { positionKey, toPage, toPageRequest } from "../../lib/pagination";
import { limitBody } from "../../middleware/body-limit";
import { meteredByService } from "../../middleware/rate-limit";
import {
  deleteDocument,
  getDocument,
  getDocumentContent,
  listDocuments,
  reindexDocument,
  uploadDocument,
} from "../../services/documents/documents.service";
import { getCitedPassage } from "../../services/documents/passage";
import { idParams, jsonContent, newRouter, problemResponses, tenantSecurity } from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentDocument, presentPassage } from "./documents.presenters";
import {
  DocumentPageSchema,
  DocumentSchema,
  ListDocumentsQuery,
  PassageQuery,
  PassageSchema,
  UploadedDocumentSchema,
  UploadFormSchema,
} from "./documents.schemas";

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

export const documentsRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/documents/upload/{collection_id}",
      tags: ["Documents"],
      summary: "Upload a document; ingestion runs in the background",
      description: `Supported: ${SUPPORTED_TYPES_SENTENCE}. Identical content already in the collection returns the existing document with \`duplicate: true\`. Beyond the plan's documents or storage: 429 \`quota_exceeded\`. Responses carry \`RateLimit-*\` headers.`,
      security: tenantSecurity,
      middleware: [meteredByService, limitUploadBody] as const,
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
        ...tenantCall(c),
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
        ...tenantCall(c),
        input: { collectionId: query.collection_id, status: query.status, page },
      });
      // Documents list in the order they were accepted, which a cursor can never skip.
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
        ...tenantCall(c),
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
        ...tenantCall(c),
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
      method: "get",
      path: "/documents/{document_id}/passage",
      tags: ["Documents"],
      summary: "The text a citation points into: its page, slide or section",
      description:
        "For reading a citation in place: the text of the PDF page or PPTX slide holding the cited chunk, or for the other formats the section around it, with where the chunk lies in it. 404 when the chunk is not one of the document's current chunks (the document was ingested again since).",
      security: tenantSecurity,
      request: { params: documentParams, query: PassageQuery },
      responses: { 200: jsonContent(PassageSchema, "The passage"), ...problemResponses(404) },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const passage = await getCitedPassage({
        ...tenantCall(c),
        input: { documentId: c.req.valid("param").document_id, chunkId: query.chunk_id, page: query.page },
      });
      return c.json(presentPassage(passage), 200);
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
        ...tenantCall(c),
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
        ...tenantCall(c),
        input: { documentId: c.req.valid("param").document_id },
      });
      return c.json(presentDocument(row), 202);
    },
  );
