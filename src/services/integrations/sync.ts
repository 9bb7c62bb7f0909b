import type { Deps, TenantContext } from "../../context";
import { AppError } from "../../errors";
import { nowIso } from "../../lib/time";
import {
  addSyncItems,
  advanceSync,
  findConnection,
  findImportedDocument,
  findSync,
  importedDocumentsGoneFromSource,
  type NangoSyncItemRow,
  type NangoSyncRow,
  pendingSyncItems,
  RUNNING_SYNC_STATUSES,
  saveImportedDocument,
  settleSyncItem,
} from "../../storage/repositories/nango.repo";
import { tenantAcceptsWrites } from "../../storage/repositories/tenant-deletion.repo";
import type { NangoSyncItemStatus, NangoSyncStatus } from "../../storage/schema";
import { deleteDocument, replaceDocumentContent, uploadDocument } from "../documents/documents.service";
import { getTenantPlan, type QuotaVerb, readMeters } from "../quotas/quotas.service";
import { emitWebhookEvent } from "../webhooks/webhook-events";
import { NangoClient, NangoError, type ProxyTarget } from "./nango-client";
import type { NangoSyncMessage } from "./nango-sync-message";
import { type Source, sourceFor } from "./sources/sources";

// Each queue message does a bounded share of the work: one page of the listing, a few files, or a
// page of deletions; then it sends the next message.
const FILES_PER_STEP = 5;
const DELETIONS_PER_STEP = 50;

/** The message that runs the sync's current step. */
export const syncStepMessage = (sync: Pick<NangoSyncRow, "tenantId" | "id" | "step">): NangoSyncMessage => ({
  kind: "nango_sync",
  tenant_id: sync.tenantId,
  sync_id: sync.id,
  step: sync.step,
});

/** The context a sync's work runs in: its tenant, acting for whoever started it. */
export function syncContext(sync: Pick<NangoSyncRow, "tenantId" | "id" | "startedBy">): TenantContext {
  // A sync adds, replaces and deletes documents, which any member may do.
  return { tenantId: sync.tenantId, actor: sync.startedBy, role: "member", requestId: sync.id };
}

const isRunning = (status: NangoSyncStatus) => RUNNING_SYNC_STATUSES.includes(status);

/** Ends a sync as `failed` (or `stopped`) with a sentence for the user, whatever step it is at. */
export async function failSync(
  deps: Deps,
  sync: Pick<NangoSyncRow, "tenantId" | "id">,
  reason: string,
  status: "failed" | "stopped" = "failed",
): Promise<void> {
  const current = await findSync(deps.db, sync.tenantId, sync.id);
  if (!current || !isRunning(current.status)) return;
  const now = nowIso();
  if (await advanceSync(deps.db, current, { status, error: reason, finishedAt: now, updatedAt: now })) {
    await emitSyncEnded(deps, { ...current, status, error: reason });
  }
}

/** Emits `sync.completed` for a sync that just ended, however it ended (its `status` says). */
async function emitSyncEnded(
  deps: Deps,
  sync: Pick<
    NangoSyncRow,
    "tenantId" | "id" | "integrationId" | "collectionId" | "status" | "error" | "removed"
  >,
): Promise<void> {
  await emitWebhookEvent({
    ctx: { tenantId: sync.tenantId },
    deps,
    input: {
      type: "sync.completed",
      data: {
        sync: {
          id: sync.id,
          provider: sync.integrationId,
          collection_id: sync.collectionId,
          status: sync.status,
          error: sync.error,
          removed: sync.removed,
        },
      },
    },
  });
}

/** The outcome of a step: go on with the sync's next step, or end it. */
type StepOutcome =
  | { next: Partial<Pick<NangoSyncRow, "status" | "cursor" | "removed">> }
  | { end: "completed"; removed: number }
  | { end: "stopped" | "failed"; reason: string };

interface SyncJob {
  sync: NangoSyncRow;
  source: Source;
  nango: NangoClient;
  target: ProxyTarget;
}

/**
 * Runs one step of a sync, as its queue message names it: lists a page of the source, imports a few
 * files, or deletes a page of documents gone from the source; then sends the next step's message.
 * A message for a step already run does nothing (but re-sends the next message if that was lost),
 * so re-delivery is harmless. Throws what is worth retrying (Nango or the provider unavailable).
 */
export async function runSyncStep({ ctx, deps, input }: QuotaVerb<{ syncId: string; step: number }>) {
  const sync = await findSync(deps.db, ctx.tenantId, input.syncId);
  if (!sync || !isRunning(sync.status)) return;
  if (sync.step === input.step + 1) {
    await deps.ingestQueue.send(syncStepMessage(sync));
    return;
  }
  if (sync.step !== input.step) return;
  // A tenant being deleted imports nothing more (its deletion removes the sync).
  if (!(await tenantAcceptsWrites(deps.db, ctx.tenantId))) return;

  const outcome = await runStep(deps, sync);
  const now = nowIso();
  if ("end" in outcome) {
    const ended = {
      ...(outcome.end === "completed" ? { removed: outcome.removed } : {}),
      status: outcome.end,
      error: outcome.end === "completed" ? null : outcome.reason,
    };
    if (await advanceSync(deps.db, sync, { ...ended, finishedAt: now, updatedAt: now })) {
      await emitSyncEnded(deps, { ...sync, ...ended });
    }
    return;
  }
  if (await advanceSync(deps.db, sync, { ...outcome.next, updatedAt: now })) {
    await deps.ingestQueue.send(syncStepMessage({ ...sync, step: sync.step + 1 }));
  }
}

async function runStep(deps: Deps, sync: NangoSyncRow): Promise<StepOutcome> {
  if (!deps.config.nango) return { end: "failed", reason: "Nango is not configured any more" };
  const connection = await findConnection(deps.db, sync.tenantId, sync.integrationId);
  if (connection?.connectionId !== sync.connectionId || connection.status !== "active") {
    return {
      end: "failed",
      reason: `The connection to ${sync.integrationId} was removed or failed; connect it again and start a new sync`,
    };
  }
  const source = sourceFor(connection.provider);
  if (!source) return { end: "failed", reason: `Importing from ${connection.provider} is not supported` };
  const job: SyncJob = {
    sync,
    source,
    nango: new NangoClient(deps.config.nango),
    target: { integrationId: sync.integrationId, connectionId: sync.connectionId },
  };
  switch (sync.status) {
    case "queued":
    case "listing":
      return listPage(deps, job);
    case "importing":
      return importFiles(deps, job);
    default:
      return removeGoneDocuments(deps, job);
  }
}

async function listPage(deps: Deps, job: SyncJob): Promise<StepOutcome> {
  let page: Awaited<ReturnType<Source["listPage"]>>;
  try {
    page = await job.source.listPage(job.nango, job.target, job.sync.cursor);
  } catch (error) {
    if (error instanceof NangoError && !error.transient) {
      return {
        end: "failed",
        reason: `The files could not be listed (${error.status}); reconnect and try again`,
      };
    }
    throw error;
  }
  await addSyncItems(deps.db, job.sync, page.files);
  return page.nextCursor
    ? { next: { status: "listing", cursor: page.nextCursor } }
    : { next: { status: "importing", cursor: null } };
}

async function importFiles(deps: Deps, job: SyncJob): Promise<StepOutcome> {
  const items = await pendingSyncItems(deps.db, job.sync, FILES_PER_STEP);
  if (items.length === 0) return { next: { status: "removing" } };
  for (const item of items) {
    const stop = await importFile(deps, job, item);
    if (stop) return stop;
  }
  return { next: { status: "importing" } };
}

/**
 * Imports one file: unchanged since the last sync, nothing; changed, its document gets the new
 * content and is ingested again; new, it is added as an upload would be. The file's own faults
 * are recorded on its item; a quota met, or the collection gone, ends the sync.
 */
async function importFile(
  deps: Deps,
  job: SyncJob,
  item: NangoSyncItemRow,
): Promise<StepOutcome | undefined> {
  const { sync } = job;
  const source = { ...sync, externalId: item.externalId };
  const imported = await findImportedDocument(deps.db, source);
  if (imported?.revision === item.revision) {
    await settleSyncItem(deps.db, item, { status: "unchanged", documentId: imported.documentId });
    return undefined;
  }
  const quotaSpent = await ingestedPagesSpent(deps, sync);
  if (quotaSpent) return { end: "stopped", reason: quotaSpent };

  let file: Blob;
  try {
    file = await job.source.download(job.nango, job.target, item);
  } catch (error) {
    if (!(error instanceof NangoError)) throw error;
    const status = error.status ? ` (${error.status})` : "";
    await settleSyncItem(deps.db, item, {
      status: "failed",
      error: `The file could not be downloaded${status}`,
    });
    return undefined;
  }
  const ctx = syncContext(sync);
  const metadata = { source: sync.integrationId, external_id: item.externalId, revision: item.revision };
  try {
    const outcome = imported
      ? await replaceDocumentContent({
          ctx,
          deps,
          input: { documentId: imported.documentId, filename: item.name, file, metadata },
        }).then(({ document, changed }) => ({ document, status: changed ? "updated" : "unchanged" }) as const)
      : await uploadDocument({
          ctx,
          deps,
          input: { collectionId: sync.collectionId, filename: item.name, file, metadata },
        }).then(({ document, duplicate }) => ({
          document,
          status: addedOrSkipped(document, item, duplicate),
        }));
    if (outcome.status === "skipped") {
      const error = `Identical content is already in the collection as ${outcome.document.filename}`;
      await settleSyncItem(deps.db, item, { status: "skipped", error, documentId: outcome.document.id });
      return undefined;
    }
    await saveImportedDocument(deps.db, {
      ...source,
      documentId: outcome.document.id,
      revision: item.revision,
      syncedAt: nowIso(),
    });
    await settleSyncItem(deps.db, item, { status: outcome.status, documentId: outcome.document.id });
    return undefined;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === "quota_exceeded") {
      return { end: "stopped", reason: `The sync stopped at ${item.name}: ${error.detail}` };
    }
    if (error.code === "not_found" && !imported) {
      return { end: "failed", reason: "The collection was deleted during the sync" };
    }
    await settleSyncItem(deps.db, item, { status: "failed", error: error.detail });
    return undefined;
  }
}

// Identical content already in the collection: the file's own document when an earlier delivery of
// this step imported it (its metadata names the file), someone else's otherwise.
function addedOrSkipped(
  document: { metadata: Record<string, unknown> | null },
  item: NangoSyncItemRow,
  duplicate: boolean,
): NangoSyncItemStatus {
  if (!duplicate) return "added";
  return document.metadata?.external_id === item.externalId ? "added" : "skipped";
}

/**
 * The sentence that stops a sync when the plan's ingested pages are used up (the pages of each
 * imported document are counted as it is ingested, so the sync checks before each file).
 */
async function ingestedPagesSpent(deps: Deps, sync: NangoSyncRow): Promise<string | undefined> {
  const ctx = { tenantId: sync.tenantId };
  const plan = await getTenantPlan({ ctx, deps });
  const meters = await readMeters({ ctx, deps, input: { period: plan.period } });
  const limit = plan.limits.ingested_pages;
  if (meters.ingested_pages.used + meters.ingested_pages.reserved < limit) return undefined;
  return (
    `The sync stopped: the ${plan.plan} plan's quota of ${limit} ingested pages per billing period is used up. ` +
    `Start it again after the quota resets at ${plan.period.end}, or after upgrading.`
  );
}

/** Deletes a page of the documents imported from files the source no longer has. */
async function removeGoneDocuments(deps: Deps, job: SyncJob): Promise<StepOutcome> {
  const { sync } = job;
  const ids = await importedDocumentsGoneFromSource(deps.db, sync, DELETIONS_PER_STEP);
  const ctx = syncContext(sync);
  for (const documentId of ids) {
    try {
      await deleteDocument({ ctx, deps, input: { documentId } });
    } catch (error) {
      if (!(error instanceof AppError && error.code === "not_found")) throw error;
    }
  }
  const removed = sync.removed + ids.length;
  return ids.length < DELETIONS_PER_STEP
    ? { end: "completed", removed }
    : { next: { status: "removing", removed } };
}
