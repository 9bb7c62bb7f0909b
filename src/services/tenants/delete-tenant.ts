import type { Deps, Identity } from "../../context";
import { AppError, notFound } from "../../errors";
import { nowIso } from "../../lib/time";
import { tenantPrefix } from "../../storage/blob-store";
import {
  conversationIdsPage,
  countTenantRows,
  deleteConversations,
  deleteDocumentsPage,
  deleteTenantRowsPage,
  findTenantBeingDeleted,
  markTenantDeleting,
  type TenantDataTable,
} from "../../storage/repositories/tenant-deletion.repo";
import { findTenant, type TenantRow } from "../../storage/repositories/tenants.repo";
import { recordAuditEvent } from "../audit/audit.service";
import { cancelTenantSubscriptions } from "../billing/cancel-subscriptions";
import { removeTenantConnections } from "../integrations/remove-connections";
import type { QuotaVerb } from "../quotas/quotas.service";
import { type TenantDeletionStep, tenantDeletionSteps } from "./deletion";
import { roleIn } from "./tenants.service";

// Each step is one queue message: small enough to finish well within a consumer's limits.
const CONNECTIONS_PER_STEP = 20;
const CONVERSATIONS_PER_STEP = 50;
const DOCUMENTS_PER_STEP = 100;
const ROWS_PER_STEP = 1000;

/** Where a tenant's deletion stands: what each table still holds of it. */
export interface TenantDeletionProgress {
  tenantId: string;
  requestedAt: string;
  remaining: Record<TenantDataTable, number>;
}

// Deletion is the owner's, as a person: a key of the tenant, whatever its role, is refused.
async function tenantOwnedByCaller(identity: Identity, deps: Deps, tenantId: string): Promise<TenantRow> {
  const role = await roleIn(identity, deps, tenantId);
  const tenant = role ? await findTenant(deps.db, tenantId) : undefined;
  if (!tenant) throw notFound("Tenant", tenantId);
  if (identity.actor.type === "api_key") {
    throw new AppError("forbidden", "Only the tenant's owner, signed in, can delete it; API keys cannot");
  }
  if (role !== "owner") throw new AppError("forbidden", "Only the tenant's owner can delete it");
  return tenant;
}

async function progressOf(
  deps: Deps,
  tenantId: string,
  requestedAt: string,
): Promise<TenantDeletionProgress> {
  return { tenantId, requestedAt, remaining: await countTenantRows(deps.db, tenantId) };
}

const firstStep = (tenantId: string) =>
  ({ kind: "tenant_deletion", tenant_id: tenantId, step: tenantDeletionSteps[0] }) as const;

/**
 * Starts deleting a tenant and everything in it: `confirm` must be its name. From then on the
 * tenant answers 410 to everything but this verb and its progress; the queue does the work. Asking
 * again while it runs starts the steps over, which resumes a stalled deletion (every step is
 * idempotent).
 */
export async function requestTenantDeletion({
  identity,
  deps,
  input,
}: {
  identity: Identity;
  deps: Deps;
  input: { tenantId: string; confirm: string };
}): Promise<TenantDeletionProgress> {
  const tenant = await tenantOwnedByCaller(identity, deps, input.tenantId);
  if (input.confirm !== tenant.name) {
    throw new AppError("validation_failed", "To delete the tenant, send its exact name in `confirm`", {
      errors: [{ field: "body.confirm", message: "must be the tenant's name, exactly" }],
    });
  }
  const requestedAt = await markTenantDeleting(deps.db, tenant.id, nowIso());
  if (!requestedAt) throw notFound("Tenant", tenant.id);
  await recordAuditEvent({
    ctx: { tenantId: tenant.id, actor: identity.actor },
    deps,
    input: { action: "tenant.deletion_requested", targetType: "tenant", targetId: tenant.id },
  });
  await deps.ingestQueue.send(firstStep(tenant.id));
  return progressOf(deps, tenant.id, requestedAt);
}

/** A deletion's progress, for the owner; 404 once the tenant is gone (or if it is not being deleted). */
export async function getTenantDeletion({
  identity,
  deps,
  input,
}: {
  identity: Identity;
  deps: Deps;
  input: { tenantId: string };
}): Promise<TenantDeletionProgress> {
  const tenant = await tenantOwnedByCaller(identity, deps, input.tenantId);
  if (!tenant.deletionRequestedAt) {
    throw new AppError("not_found", `Tenant ${tenant.id} is not being deleted`);
  }
  return progressOf(deps, tenant.id, tenant.deletionRequestedAt);
}

/** Runs one bounded slice of a step; true when the step has nothing left to do. */
const stepRunners: Record<
  TenantDeletionStep,
  (tenantId: string, deps: Deps, final: boolean) => Promise<boolean>
> = {
  async billing(tenantId, deps) {
    await cancelTenantSubscriptions({ ctx: { tenantId }, deps });
    return true;
  },
  async connectors(tenantId, deps) {
    return removeTenantConnections({ ctx: { tenantId }, deps, input: { limit: CONNECTIONS_PER_STEP } });
  },
  async conversations(tenantId, deps) {
    const ids = await conversationIdsPage(deps.db, tenantId, CONVERSATIONS_PER_STEP);
    // The objects first: a row without its object is harmless, an object without its row is lost.
    await Promise.all(ids.map((id) => deps.conversations.getByName(id).forget()));
    await deleteConversations(deps.db, tenantId, ids);
    return ids.length < CONVERSATIONS_PER_STEP;
  },
  async documents(tenantId, deps) {
    return (await deleteDocumentsPage(deps.db, tenantId, DOCUMENTS_PER_STEP)) < DOCUMENTS_PER_STEP;
  },
  async files(tenantId, deps) {
    return !(await deps.blobs.deletePageUnder(tenantPrefix(tenantId)));
  },
  async vectors(tenantId, deps) {
    if (!(await deps.vectorStore.purgeTenant(tenantId))) return false;
    // Then the tenant's shard: its chunks and full-text index, whatever the vector store (the
    // Vectorize ledger the purge above reads lives there too, so it goes last).
    await deps.searchShards.purge(tenantId);
    return true;
  },
  async quota(tenantId, deps) {
    await deps.quotas.getByName(tenantId).destroy();
    return true;
  },
  // The tenant row (and the memberships and keys that go with it) stays until the final pass: its
  // deletion mark is what makes late work refuse to write.
  async rows(tenantId, deps, final) {
    return deleteTenantRowsPage(deps.db, tenantId, ROWS_PER_STEP, final);
  },
};

// The final pass does again every step that removes stored data (billing was cancelled once).
const FINAL_PASS_FIRST_STEP: TenantDeletionStep = "connectors";

/**
 * One message of a tenant's deletion: runs a slice of `step`, then sends the next message (the
 * same step while it has more to do). Only a tenant marked for deletion is touched, so a forged or
 * late message does nothing; every slice deletes what is left, so a re-delivered one is harmless.
 *
 * The steps run twice. Work that was already running when the deletion was asked for (an
 * ingestion batch, a chat turn, a connector import, a webhook) may write after the step that
 * cleared what it writes: it checks the tenant's mark before writing, but may have checked before
 * the mark. So the first pass ends by queueing a final one, delayed by the longest such work may
 * take (an ingestion lease), which removes whatever was written late, then the tenant row.
 */
export async function runTenantDeletionStep({
  ctx,
  deps,
  input,
}: QuotaVerb<{ step: TenantDeletionStep; final?: boolean }>): Promise<void> {
  if (!(await findTenantBeingDeleted(deps.db, ctx.tenantId))) return;
  const final = input.final === true;
  const done = await stepRunners[input.step](ctx.tenantId, deps, final);
  const next = done ? tenantDeletionSteps[tenantDeletionSteps.indexOf(input.step) + 1] : input.step;
  const message = { kind: "tenant_deletion", tenant_id: ctx.tenantId } as const;
  if (next) {
    await deps.ingestQueue.send({ ...message, step: next, ...(final && { final }) });
  } else if (!final) {
    await deps.ingestQueue.send(
      { ...message, step: FINAL_PASS_FIRST_STEP, final: true },
      { delaySeconds: deps.config.tenants.deletionFinalPassDelaySeconds },
    );
  }
}
