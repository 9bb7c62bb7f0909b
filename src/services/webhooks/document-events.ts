import type { Deps, TenantContext } from "../../context";
import { findDocument } from "../../storage/repositories/documents.repo";
import { emitWebhookEvent, hasSubscribers } from "./webhook-events";

/**
 * Emits `document.ready` or `document.failed` for a document whose ingestion just ended. The
 * document is read only when an endpoint listens; never throws.
 */
export async function emitDocumentEvent({
  ctx,
  deps,
  input,
}: {
  ctx: Pick<TenantContext, "tenantId">;
  deps: Deps;
  input: { documentId: string; type: "document.ready" | "document.failed" };
}): Promise<void> {
  try {
    if (!(await hasSubscribers(deps, ctx.tenantId, input.type))) return;
    const document = await findDocument(deps.db, ctx.tenantId, input.documentId);
    if (!document) return;
    await emitWebhookEvent({
      ctx,
      deps,
      input: {
        type: input.type,
        data: {
          document: {
            id: document.id,
            collection_id: document.collectionId,
            filename: document.filename,
            format: document.format,
            status: document.status,
            page_count: document.pageCount,
            chunk_count: document.chunkCount,
            error: document.error,
          },
        },
      },
    });
  } catch (error) {
    console.error(`could not emit ${input.type} for document ${input.documentId}`, error);
  }
}
