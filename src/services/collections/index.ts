import type { Deps, TenantContext, Verb } from "../../context";
import { notFound } from "../../errors";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import {
  type CollectionRow,
  deleteCollectionRow,
  findCollection,
  insertCollection,
  listCollections as listCollectionRows,
} from "../../storage/repositories/collections.repo";
import { listDocumentsOfCollection } from "../../storage/repositories/documents.repo";

export async function createCollection({
  ctx,
  deps,
  input,
}: Verb<{ name: string; description?: string | null }>): Promise<CollectionRow> {
  const now = nowIso();
  const row: CollectionRow = {
    id: newId("col"),
    tenantId: ctx.tenantId,
    name: input.name,
    description: input.description ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await insertCollection(deps.db, row);
  return row;
}

export async function getCollection({ ctx, deps, input }: Verb<{ collectionId: string }>) {
  const row = await findCollection(deps.db, ctx.tenantId, input.collectionId);
  if (!row) throw notFound("Collection", input.collectionId);
  return row;
}

export function listCollections({ ctx, deps, page }: { ctx: TenantContext; deps: Deps; page: PageRequest }) {
  return listCollectionRows(deps.db, ctx.tenantId, page);
}

/**
 * Deletes a collection and everything in it. The rows go first (documents, chunks and full-text
 * rows cascade), so search stops returning them at once; then vectors and files.
 * Assistants that used the collection simply lose the link.
 */
export async function deleteCollection({ ctx, deps, input }: Verb<{ collectionId: string }>) {
  const documents = await listDocumentsOfCollection(deps.db, ctx.tenantId, input.collectionId);
  if (!(await deleteCollectionRow(deps.db, ctx.tenantId, input.collectionId))) {
    throw notFound("Collection", input.collectionId);
  }
  await deps.vectorStore.deleteByCollection(ctx.tenantId, input.collectionId);
  await deps.blobs.delete(documents.map((document) => document.blobKey));
}
