import { z } from "@hono/zod-openapi";
import { SUPPORTED_TYPES_SENTENCE } from "../../ingest/detect-format";
import { SUPPORTED_LANGUAGES } from "../../lib/text/language";
import { documentFailureCodes, documentFormats, documentStatuses } from "../../storage/schema";
import { PageQuerySchema, pageOf } from "../openapi";

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
    error_code: z.enum(documentFailureCodes).nullable().openapi({
      description:
        "Why ingestion failed, as a code to translate: the parser's reason (empty, encrypted, no_text_layer: a scan and no vision model, no_text_found: a scan the vision model found no text in, unreadable_text, corrupt, too_large, unsupported, hostile), pages_quota_exceeded, tokens_quota_exceeded, model_failed, ingestion_abandoned",
    }),
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

export const UploadedDocumentSchema = DocumentSchema.extend({
  duplicate: z.boolean().openapi({ description: "true: identical content was already in the collection" }),
}).openapi("UploadedDocument");

export const DocumentPageSchema = pageOf(DocumentSchema, "DocumentPage");

export const UploadFormSchema = z.object({
  file: z
    .instanceof(File, { message: "attach the document as the multipart field `file`" })
    .openapi({ type: "string", format: "binary", description: SUPPORTED_TYPES_SENTENCE }),
  metadata: z
    .string()
    .max(16_384)
    .optional()
    .openapi({ description: "A JSON object kept with the document", example: '{"source": "intranet"}' }),
});

export const ListDocumentsQuery = PageQuerySchema.extend({
  collection_id: z.string().max(64).optional(),
  status: z.enum(documentStatuses).optional(),
});

export const PassageQuery = z.object({
  chunk_id: z.string().min(1).max(128).openapi({ description: "The `chunk_id` of a citation" }),
  page: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({ description: "The citation's `page` (the page or slide of its excerpt)" }),
});

export const PassageSchema = z
  .object({
    document_id: z.string(),
    filename: z.string(),
    format: z.enum(documentFormats),
    content_type: z.string(),
    unit: z.enum(["page", "slide", "section"]).openapi({
      description: "What `text` is: a PDF page, a PPTX slide, or a section of the other formats",
    }),
    number: z.number().int().nullable().openapi({ description: "The page or slide; null for a section" }),
    section: z.string().nullable().openapi({ description: "The headings above the cited passage" }),
    text: z.string().openapi({
      description:
        "The text of the page or slide, or of the section around the cited passage (as indexed, not the original layout)",
    }),
    cited: z
      .object({ start: z.number().int(), end: z.number().int() })
      .openapi({ description: "Where the cited chunk's text lies in `text` (UTF-16 offsets)" }),
  })
  .openapi("Passage");
