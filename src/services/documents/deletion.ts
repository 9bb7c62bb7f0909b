import type { Deps } from "../../context";
import { log } from "../../lib/log";
import {
  claimStalledDeletion,
  type DocumentRow,
  deleteDocumentRows,
  findStalledDeletions,
} from "../../storage/repositories/documents.repo";
import type { StoredDocumentStatus } from "../../storage/schema";
import { giveBackDocuments, type QuotaVerb } from "../quotas/quotas.service";

/**
 * How long a deletion under way is left to the request (or the sweep) running it before the
 * sweeper takes it on: far longer than its steps take when nothing fails.
 */
export const DELETION_LEASE_SECONDS = 60;

// A sweep finishes at most this many deletions; the rest wait for the next one.
const DELETIONS_PER_SWEEP = 50;

/** The lease a deletion (re)started at `now` holds. */
export const deletionLeaseUntil = (now: Date) =>
  new Date(now.getTime() + DELETION_LEASE_SECONDS * 1000).toISOString();

/**
 * Runs the steps of a document's deletion, each harmless to run again: its chunks leave the
 * tenant's shard (which remembers it as removed), then its vectors, its file, and last its row,
 * whose deletion gives back its count and bytes (only the call that deleted the row does). True
 * once the document is gone; false when a step failed: the document stays `deleting`, and a DELETE
 * again or the sweeper resumes.
 */
export async function finishDocumentDeletion({
  ctx,
  deps,
  input,
}: QuotaVerb<{ document: Pick<DocumentRow, "id" | "blobKey"> }>): Promise<boolean> {
  const { document } = input;
  try {
    await deps.searchShards.deleteByDocument(ctx.tenantId, document.id);
    await deps.vectorStore.deleteByDocument(ctx.tenantId, document.id);
    await deps.blobs.delete([document.blobKey]);
    const deleted = await deleteDocumentRows(deps.db, ctx.tenantId, [document.id]);
    await giveBackDeletedDocuments({ ctx, deps, input: { documents: deleted } });
    return true;
  } catch (error) {
    log("warn", "document_deletion_deferred", { tenant_id: ctx.tenantId, document_id: document.id }, error);
    return false;
  }
}

/**
 * Gives back the quota of documents a deletion removed. One still uploading is left out: its
 * upload notices that its row is gone and settles its own reservation.
 */
export async function giveBackDeletedDocuments({
  ctx,
  deps,
  input,
}: QuotaVerb<{ documents: { status: StoredDocumentStatus; sizeBytes: number }[] }>): Promise<void> {
  const counted = input.documents.filter((document) => document.status !== "uploading");
  await giveBackDocuments({ ctx, deps, input: { documents: counted } });
}

/**
 * Finishes deletions whose lease has passed (a step failed and nobody asked again), across tenants
 * (the cron trigger has none); each is claimed first, so that two sweeps never run one together.
 * Returns how many are now done.
 */
export async function sweepStalledDeletions({
  deps,
  input,
}: {
  deps: Deps;
  input: { now: Date };
}): Promise<number> {
  const at = input.now.toISOString();
  const stalled = await findStalledDeletions(deps.db, { now: at, limit: DELETIONS_PER_SWEEP });
  let finished = 0;
  for (const document of stalled) {
    if (!(await claimStalledDeletion(deps.db, document, deletionLeaseUntil(input.now), at))) continue;
    const ctx = { tenantId: document.tenantId };
    if (await finishDocumentDeletion({ ctx, deps, input: { document } })) finished++;
  }
  return finished;
}
