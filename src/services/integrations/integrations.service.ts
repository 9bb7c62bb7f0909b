import type { Actor, Deps, TenantContext, Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { nowIso } from "../../lib/time";
import { findCollection } from "../../storage/repositories/collections.repo";
import {
  countSyncItems,
  deleteConnectionRow,
  findConnection,
  findLatestSync,
  findLatestSyncOfConnection,
  findSync,
  insertSync,
  listConnections as listConnectionRows,
  type NangoConnectionRow,
  type NangoSyncRow,
  saveConnection,
  unimportedSyncItems,
} from "../../storage/repositories/nango.repo";
import { tenantAcceptsWrites } from "../../storage/repositories/tenant-deletion.repo";
import type { NangoSyncItemStatus } from "../../storage/schema";
import { recordAuditEvent } from "../audit/audit.service";
import { isNangoSignatureValid, NangoClient, type NangoConnection, requireNango } from "./nango-client";
import { SYNCABLE_PROVIDERS, sourceFor } from "./sources/sources";
import { failSync, syncContext, syncStepMessage } from "./sync";
import { type NangoWebhook, parseNangoWebhook } from "./webhooks";

const nangoOf = (deps: Deps) => new NangoClient(requireNango(deps.config));

/** Who the caller is, as Nango's end user: a person's user id, or an API key's id. */
function endUserId(actor: Actor): string {
  if (actor.type === "api_key") return actor.keyId;
  // Widget visitors never reach the connectors (confine-visitors.ts); the type still names them.
  if (actor.type === "visitor")
    throw new AppError("forbidden", "Widget visitors cannot connect integrations");
  return actor.userId;
}

/**
 * A Nango Connect session for the caller (the end user) in the tenant (the organisation),
 * allowed to connect this integration only: its token opens Nango's Connect UI.
 */
export async function createConnectSession({ ctx, deps, input }: Verb<{ integrationId: string }>) {
  const nango = nangoOf(deps);
  const session = await callNango(ctx.requestId, "create a connect session", () =>
    nango.createConnectSession({
      endUserId: endUserId(ctx.actor),
      organizationId: ctx.tenantId,
      integrations: [input.integrationId],
    }),
  );
  return { token: session.token, expiresAt: session.expires_at, connectLink: session.connect_link ?? null };
}

// Nango's own failures are the upstream's: logged in full, answered briefly.
async function callNango<T>(logTag: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    log("error", "nango_failed", { log_tag: logTag, action: what }, error);
    throw new AppError("upstream_error", `Nango could not ${what}; try again later`);
  }
}

/** The tenant a Nango connection was made for: the organisation its connect session named. */
function tenantOfConnection(connection: Pick<NangoConnection, "tags" | "end_user">): string | undefined {
  return connection.tags?.organization_id ?? connection.end_user?.organization?.id ?? undefined;
}

/**
 * Where Connect UI leads back once the user has connected: the connection is recorded for the
 * tenant once Nango confirms it exists and was made for this tenant (the query alone proves nothing).
 */
export async function confirmConnection({
  ctx,
  deps,
  input,
}: Verb<{ integrationId: string; connectionId: string }>): Promise<NangoConnectionRow> {
  const nango = nangoOf(deps);
  const connection = await callNango(ctx.requestId, "look up the connection", () =>
    nango.findConnection({ integrationId: input.integrationId, connectionId: input.connectionId }),
  );
  if (!connection || tenantOfConnection(connection) !== ctx.tenantId) {
    throw notFound(`Connection to ${input.integrationId}`, input.connectionId);
  }
  const now = nowIso();
  const row: NangoConnectionRow = {
    tenantId: ctx.tenantId,
    integrationId: input.integrationId,
    provider: connection.provider,
    connectionId: connection.connection_id,
    status: "active",
    error: null,
    createdAt: now,
    updatedAt: now,
  };
  await saveConnection(deps.db, row);
  await recordAuditEvent({
    ctx,
    deps,
    input: {
      action: "connection.created",
      targetType: "integration",
      targetId: input.integrationId,
      details: { provider: row.provider },
    },
  });
  return (await findConnection(deps.db, ctx.tenantId, input.integrationId)) ?? row;
}

/**
 * Handles a webhook from Nango once its signature (`X-Nango-Hmac-Sha256`) proves the sender; a
 * forged or unsigned one is `unauthenticated` and changes nothing. An auth webhook records the
 * connection for the tenant its session named, a successful one as active and a failed one as
 * failed; a sync webhook (Nango's schedule) imports the connection again into the collection of
 * its last sync. Anything else is acknowledged and ignored; a connection made for a tenant that is
 * gone or being deleted is deleted in Nango.
 */
export async function handleNangoWebhook({
  deps,
  input,
}: {
  deps: Deps;
  input: { payload: Uint8Array; signature: string | undefined };
}): Promise<{ received: true; handled: boolean }> {
  const nango = requireNango(deps.config);
  if (!(await isNangoSignatureValid(nango.webhookSecret, input.payload, input.signature))) {
    throw new AppError("unauthenticated", "The webhook's X-Nango-Hmac-Sha256 signature is missing or wrong");
  }
  const webhook = parseNangoWebhook(input.payload);
  if (!webhook) return { received: true, handled: false };
  if (webhook.type === "auth") return { received: true, handled: await recordAuthWebhook(deps, webhook) };
  return { received: true, handled: await syncAgainOnWebhook(deps, webhook) };
}

async function recordAuthWebhook(deps: Deps, webhook: Extract<NangoWebhook, { type: "auth" }>) {
  const tenantId = webhook.tenantId;
  if (!tenantId) return false;
  if (!(await tenantAcceptsWrites(deps.db, tenantId))) {
    // Connected while (or after) its tenant was being deleted: the grant must not stay in Nango.
    if (webhook.success) await nangoOf(deps).deleteConnection(webhook);
    return false;
  }
  const known = await findConnection(deps.db, tenantId, webhook.integrationId);
  // A failed attempt at a new connection leaves the working one in place.
  if (!webhook.success && known?.status === "active" && known.connectionId !== webhook.connectionId) {
    return false;
  }
  const now = nowIso();
  await saveConnection(deps.db, {
    tenantId,
    integrationId: webhook.integrationId,
    provider: webhook.provider,
    connectionId: webhook.connectionId,
    status: webhook.success ? "active" : "failed",
    error: webhook.success ? null : webhook.error,
    createdAt: known?.createdAt ?? now,
    updatedAt: now,
  });
  // Nango tells of the connection the user made in Connect UI: recorded as Nango's doing.
  if (webhook.success && known?.connectionId !== webhook.connectionId) {
    await recordAuditEvent({
      ctx: { tenantId, actor: "system" },
      deps,
      input: {
        action: "connection.created",
        targetType: "integration",
        targetId: webhook.integrationId,
        details: { provider: webhook.provider, via: "nango_webhook" },
      },
    });
  }
  return true;
}

async function syncAgainOnWebhook(deps: Deps, webhook: Extract<NangoWebhook, { type: "sync" }>) {
  // A sync webhook names no tenant: the connection id, which Nango makes unique, finds it.
  const last = await findLatestSyncOfConnection(deps.db, webhook.integrationId, webhook.connectionId);
  if (!last) return false;
  const ctx = syncContext(last);
  try {
    await startSync({
      ctx,
      deps,
      input: { integrationId: last.integrationId, collectionId: last.collectionId },
    });
    return true;
  } catch (error) {
    if (error instanceof AppError) return false; // already running, disconnected, collection gone
    throw error;
  }
}

export async function listConnections({ ctx, deps }: Omit<Verb<unknown>, "input">) {
  requireNango(deps.config);
  return listConnectionRows(deps.db, ctx.tenantId);
}

async function getConnection(ctx: TenantContext, deps: Deps, integrationId: string) {
  const connection = await findConnection(deps.db, ctx.tenantId, integrationId);
  if (!connection) throw new AppError("not_found", `The tenant has no connection to ${integrationId}`);
  return connection;
}

/** Removes the tenant's connection to an integration, in Nango and here. Imported documents stay. */
export async function deleteConnection({ ctx, deps, input }: Verb<{ integrationId: string }>): Promise<void> {
  const nango = nangoOf(deps);
  const connection = await getConnection(ctx, deps, input.integrationId);
  await callNango(ctx.requestId, "delete the connection", () => nango.deleteConnection(connection));
  await deleteConnectionRow(deps.db, connection);
  await recordAuditEvent({
    ctx,
    deps,
    input: { action: "connection.removed", targetType: "integration", targetId: input.integrationId },
  });
}

/** A running sync whose steps have not moved for this long is taken for lost. */
const STALLED_SYNC_MS = 15 * 60_000;

/**
 * Starts importing the connection's files into a collection: the queue lists them through Nango's
 * proxy, ingests new and changed ones and deletes those gone from the source, a bounded step per
 * message. One sync runs per connection at a time (`conflict` otherwise).
 */
export async function startSync({
  ctx,
  deps,
  input,
}: Verb<{ integrationId: string; collectionId: string }>): Promise<NangoSyncRow> {
  requireNango(deps.config);
  const connection = await getConnection(ctx, deps, input.integrationId);
  if (!(await findCollection(deps.db, ctx.tenantId, input.collectionId))) {
    throw notFound("Collection", input.collectionId);
  }
  if (connection.status !== "active") {
    throw new AppError("conflict", `The connection to ${input.integrationId} failed; connect it again first`);
  }
  if (!sourceFor(connection.provider)) {
    throw new AppError(
      "bad_request",
      `Importing from ${connection.provider} is not supported; supported: ${SYNCABLE_PROVIDERS.join(", ")}`,
    );
  }
  const running = await findLatestSync(deps.db, ctx.tenantId, input.integrationId, { running: true });
  if (running && Date.parse(running.updatedAt) < Date.now() - STALLED_SYNC_MS) {
    // Its queue message was lost: it would block the connection for ever.
    await failSync(deps, running, "The sync made no progress for 15 minutes and was abandoned");
  } else if (running) {
    throw new AppError("conflict", `A sync of ${input.integrationId} is already running (${running.id})`, {
      sync_id: running.id,
    });
  }
  const now = nowIso();
  const sync: NangoSyncRow = {
    id: newId("syn"),
    tenantId: ctx.tenantId,
    integrationId: connection.integrationId,
    connectionId: connection.connectionId,
    collectionId: input.collectionId,
    status: "queued",
    error: null,
    step: 0,
    cursor: null,
    removed: 0,
    startedBy: ctx.actor,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  await insertSync(deps.db, sync);
  try {
    await deps.ingestQueue.send(syncStepMessage(sync));
  } catch (error) {
    log("error", "sync_not_queued", { request_id: ctx.requestId, tenant_id: ctx.tenantId }, error);
    await failSync(deps, sync, "The sync could not be queued; start it again");
    throw new AppError("service_unavailable", "The sync could not be started; try again");
  }
  return sync;
}

/** How many per-file failures a sync's status lists. */
const FAILURES_SHOWN = 100;

export interface SyncProgress {
  sync: NangoSyncRow;
  counts: Record<NangoSyncItemStatus, number>;
  failures: { externalId: string; name: string; status: NangoSyncItemStatus; error: string | null }[];
}

/** A sync with its progress: files found, and what became of each, with the failures. */
export async function getSync({ ctx, deps, input }: Verb<{ syncId: string }>): Promise<SyncProgress> {
  requireNango(deps.config);
  const sync = await findSync(deps.db, ctx.tenantId, input.syncId);
  if (!sync) throw notFound("Sync", input.syncId);
  const counted = await countSyncItems(deps.db, sync);
  const counts = {
    pending: counted.pending ?? 0,
    added: counted.added ?? 0,
    updated: counted.updated ?? 0,
    unchanged: counted.unchanged ?? 0,
    skipped: counted.skipped ?? 0,
    failed: counted.failed ?? 0,
  };
  const failures = (await unimportedSyncItems(deps.db, sync, FAILURES_SHOWN)).map((item) => ({
    externalId: item.externalId,
    name: item.name,
    status: item.status,
    error: item.error,
  }));
  return { sync, counts, failures };
}
