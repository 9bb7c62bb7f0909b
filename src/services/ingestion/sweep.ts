import type { Deps } from "../../context";
import {
  type DocumentRow,
  findStalledDocuments,
  updateStalledDocument,
} from "../../storage/repositories/documents.repo";
import { emitDocumentEvent } from "../webhooks/document-events";
import { batchMessage } from "./ingestion.service";
import { INGESTION_LEASE_SECONDS, leaseUntil } from "./lease";

/** Re-enqueued batches of one generation that started and stalled before the sweeper fails the document. */
export const MAX_SWEEPS = 3;

// Enough for any real backlog every few minutes; the rest waits for the next sweep.
const DOCUMENTS_PER_SWEEP = 100;

export interface SweepOutcome {
  requeued: number;
  failed: number;
}

/**
 * The batch number a stalled document resumes at, for its logs: the one after the pages done, or
 * the last one when all pages are done.
 */
export function resumeBatch(document: Pick<DocumentRow, "pagesDone" | "pagesTotal">, pagesPerBatch: number) {
  if (!document.pagesTotal) return 0;
  const lastBatch = Math.max(0, Math.ceil(document.pagesTotal / pagesPerBatch) - 1);
  return Math.min(Math.floor(document.pagesDone / pagesPerBatch), lastBatch);
}

/**
 * The page a stalled document resumes at: the one after the pages done (batches are sized by
 * their work, so where the next one starts is all that is known), or past the last page when all
 * are done: it stalled between its last progress and `ready`, and a batch of no pages finishes it.
 */
export function resumePage(document: Pick<DocumentRow, "pagesDone" | "pagesTotal">): number {
  if (!document.pagesTotal) return 1;
  return Math.min(document.pagesDone, document.pagesTotal) + 1;
}

function abandonedReason(document: DocumentRow): string {
  const where = document.pagesTotal ? ` at page ${document.pagesDone} of ${document.pagesTotal}` : "";
  return (
    `ingestion stopped${where} and did not resume after ${MAX_SWEEPS} restarts; ` +
    "reindex the document to try again"
  );
}

/**
 * Finds ingestions whose queue message was lost or exhausted (`queued` or `processing` with an
 * expired lease, see lease.ts) and re-enqueues the batch each one stopped at, under the same
 * generation, so pages already counted are not counted again. A re-enqueued document is `queued`
 * until its batch takes the lease: one found still `queued` has not run since (its message waits
 * in the queue's backlog, or was lost), which is no sign of a batch that fails, so it is re-sent
 * without counting (a duplicate message is harmless). One found `processing` had a batch start and
 * stall: after MAX_SWEEPS such restarts the document fails with a sentence. Runs across tenants
 * (the cron trigger has none); every write is conditional, so a batch that wakes up meanwhile, or a
 * second sweep, wins cleanly.
 */
export async function sweepStalledIngestions({
  deps,
  input,
}: {
  deps: Deps;
  input: { now: Date };
}): Promise<SweepOutcome> {
  const { now } = input;
  const stalled = await findStalledDocuments(deps.db, {
    now: now.toISOString(),
    unleasedBefore: new Date(now.getTime() - INGESTION_LEASE_SECONDS * 1000).toISOString(),
    limit: DOCUMENTS_PER_SWEEP,
  });
  const outcome: SweepOutcome = { requeued: 0, failed: 0 };
  for (const document of stalled) {
    const started = document.status === "processing";
    if (started && document.sweeps >= MAX_SWEEPS) {
      const failed = await updateStalledDocument(deps.db, document, {
        status: "failed",
        error: abandonedReason(document),
        errorCode: "ingestion_abandoned",
        leaseExpiresAt: null,
        updatedAt: now.toISOString(),
      });
      if (failed) {
        outcome.failed++;
        await emitDocumentEvent({
          ctx: { tenantId: document.tenantId },
          deps,
          input: { documentId: document.id, type: "document.failed" },
        });
      }
      continue;
    }
    // Claimed first: the lease keeps the next sweeps away while the new message waits in the queue.
    const claimed = await updateStalledDocument(deps.db, document, {
      status: "queued",
      leaseExpiresAt: leaseUntil(now),
      sweeps: started ? document.sweeps + 1 : document.sweeps,
      updatedAt: now.toISOString(),
    });
    if (!claimed) continue;
    const batch = resumeBatch(document, deps.config.ingest.pagesPerBatch);
    await deps.ingestQueue.send(
      batchMessage(document.tenantId, {
        documentId: document.id,
        generation: document.generation,
        batch,
        firstPage: resumePage(document),
      }),
    );
    outcome.requeued++;
  }
  return outcome;
}
