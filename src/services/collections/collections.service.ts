import type { Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import {
  type CollectionRow,
  deleteCollectionWithDocuments,
  findCollection,
  insertCollectionWithinLimit,
  listCollections as listCollectionRows,
  updateCollection as updateCollectionRow,
} from "../../storage/repositories/collections.repo";
import { findTenant } from "../../storage/repositories/tenants.repo";
import { recordAuditEvent } from "../audit/audit.service";
import { giveBackDeletedDocuments } from "../documents/documents.service";
import { planLimits } from "../plans/plans.service";

/** Creates a collection, refused with `plan_limit_reached` once the plan's collection count is reached. */
export async function createCollection({
  ctx,
  deps,
  input,
}: Verb<{ name: string; description?: string | null }>): Promise<CollectionRow> {
  const tenant = await findTenant(deps.db, ctx.tenantId);
  if (!tenant) throw notFound("Tenant", ctx.tenantId);
  const limit = planLimits(deps.config, tenant.plan).collections;
  const now = nowIso();
  const row: CollectionRow = {
    id: newId("col"),
    tenantId: ctx.tenantId,
    name: input.name,
    description: input.description ?? null,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertCollectionWithinLimit(deps.db, row, limit))) {
    throw new AppError(
      "plan_limit_reached",
      `The ${tenant.plan} plan allows ${limit} collections; delete one or upgrade the plan`,
      { metric: "collections", limit, plan: tenant.plan },
    );
  }
  return row;
}

export async function getCollection({ ctx, deps, input }: Verb<{ collectionId: string }>) {
  const row = await findCollection(deps.db, ctx.tenantId, input.collectionId);
  if (!row) throw notFound("Collection", input.collectionId);
  return row;
}

/** Renames a collection or changes its description. */
export async function updateCollection({
  ctx,
  deps,
  input,
}: Verb<{ collectionId: string; name?: string; description?: string | null }>) {
  const row = await updateCollectionRow(deps.db, ctx.tenantId, input.collectionId, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.description !== undefined && { description: input.description }),
    updatedAt: nowIso(),
  });
  if (!row) throw notFound("Collection", input.collectionId);
  return row;
}

export function listCollections({ ctx, deps, input }: Verb<{ page: PageRequest }>) {
  return listCollectionRows(deps.db, ctx.tenantId, input.page);
}

/**
 * Deletes a collection and everything in it. The rows go first (documents, then chunks and
 * full-text rows in the tenant's shard), so search stops returning them at once; then vectors and
 * files, and the documents' count and storage go back to the tenant's quota. Assistants that used it simply lose the link.
 * An upload still on its way finds its row gone and removes its own file.
 */
export async function deleteCollection({ ctx, deps, input }: Verb<{ collectionId: string }>) {
  const { deleted, documents } = await deleteCollectionWithDocuments(
    deps.db,
    ctx.tenantId,
    input.collectionId,
  );
  if (!deleted) throw notFound("Collection", input.collectionId);
  await recordAuditEvent({
    ctx,
    deps,
    input: {
      action: "collection.deleted",
      targetType: "collection",
      targetId: input.collectionId,
      details: { documents: documents.length },
    },
  });
  await deps.searchShards.deleteByCollection(ctx.tenantId, input.collectionId);
  await deps.vectorStore.deleteByCollection(ctx.tenantId, input.collectionId);
  await deps.blobs.delete(documents.map((document) => document.blobKey));
  await giveBackDeletedDocuments({ ctx, deps, input: { documents } });
}
