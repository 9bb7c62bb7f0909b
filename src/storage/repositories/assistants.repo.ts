import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { forgetLookups } from "../lookup-cache";
import { assistantCollections, assistants } from "../schema";

export type AssistantRow = typeof assistants.$inferSelect;
export type AssistantWithCollections = AssistantRow & { collectionIds: string[] };

// Conditional inserts are plain D1 statements: drizzle cannot batch an INSERT … SELECT … WHERE.
// A link is written only if the collection is the tenant's and the assistant row exists,
// so a collection deleted meanwhile, or an assistant refused by the limit, leaves no link.
function linkStatements(db: Database, tenantId: string, assistantId: string, ids: string[]) {
  const statement = db.$client.prepare(
    `INSERT INTO assistant_collections (tenant_id, assistant_id, collection_id, position)
     SELECT ?1, ?2, c.id, ?4 FROM collections c
     WHERE c.id = ?3 AND c.tenant_id = ?1
       AND EXISTS (SELECT 1 FROM assistants a WHERE a.id = ?2 AND a.tenant_id = ?1)`,
  );
  return ids.map((collectionId, position) => statement.bind(tenantId, assistantId, collectionId, position));
}

/**
 * Inserts the assistant and its collection links in one batch, only while the tenant has fewer
 * than `limit` assistants. The count and the insert are one statement, so concurrent creations
 * cannot overshoot. Returns false when the limit refused it.
 */
export async function insertAssistantWithinLimit(
  db: Database,
  row: AssistantRow,
  collectionIds: string[],
  limit: number,
): Promise<boolean> {
  const insert = db.$client
    .prepare(
      `INSERT INTO assistants (id, tenant_id, name, system_prompt, model, temperature, top_k, language,
         created_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
       WHERE (SELECT COUNT(*) FROM assistants WHERE tenant_id = ?2) < ?11`,
    )
    .bind(
      row.id,
      row.tenantId,
      row.name,
      row.systemPrompt,
      row.model,
      row.temperature,
      row.topK,
      row.language,
      row.createdAt,
      row.updatedAt,
      limit,
    );
  const [inserted] = await db.$client.batch([
    insert,
    ...linkStatements(db, row.tenantId, row.id, collectionIds),
  ]);
  return inserted?.meta.changes === 1;
}

/** Applies changes; `collectionIds`, when given, replaces the links. Returns false if no such assistant. */
export async function updateAssistant(
  db: Database,
  tenantId: string,
  assistantId: string,
  changes: Partial<
    Pick<AssistantRow, "name" | "systemPrompt" | "model" | "temperature" | "topK" | "language">
  > & {
    updatedAt: string;
  },
  collectionIds: string[] | undefined,
): Promise<boolean> {
  const updated = await db
    .update(assistants)
    .set(changes)
    .where(and(eq(assistants.tenantId, tenantId), eq(assistants.id, assistantId)))
    .returning({ id: assistants.id });
  if (updated.length === 0) return false;
  if (collectionIds !== undefined) {
    const unlink = db.$client
      .prepare("DELETE FROM assistant_collections WHERE tenant_id = ? AND assistant_id = ?")
      .bind(tenantId, assistantId);
    await db.$client.batch([unlink, ...linkStatements(db, tenantId, assistantId, collectionIds)]);
  }
  forgetLookups();
  return true;
}

async function withCollections(
  db: Database,
  tenantId: string,
  rows: AssistantRow[],
): Promise<AssistantWithCollections[]> {
  if (rows.length === 0) return [];
  const links = await db
    .select()
    .from(assistantCollections)
    .where(
      and(
        eq(assistantCollections.tenantId, tenantId),
        inArray(
          assistantCollections.assistantId,
          rows.map((row) => row.id),
        ),
      ),
    )
    .orderBy(asc(assistantCollections.position));
  return rows.map((row) => ({
    ...row,
    collectionIds: links.filter((link) => link.assistantId === row.id).map((link) => link.collectionId),
  }));
}

export async function findAssistant(
  db: Database,
  tenantId: string,
  assistantId: string,
): Promise<AssistantWithCollections | undefined> {
  const row = await db.query.assistants.findFirst({
    where: and(eq(assistants.tenantId, tenantId), eq(assistants.id, assistantId)),
  });
  return row ? (await withCollections(db, tenantId, [row]))[0] : undefined;
}

export async function listAssistants(db: Database, tenantId: string, page: PageRequest) {
  const rows = await db
    .select()
    .from(assistants)
    .where(and(eq(assistants.tenantId, tenantId), page.after ? gt(assistants.id, page.after) : undefined))
    .orderBy(asc(assistants.id))
    .limit(page.limit + 1);
  return withCollections(db, tenantId, rows);
}

export async function deleteAssistantRow(
  db: Database,
  tenantId: string,
  assistantId: string,
): Promise<boolean> {
  const deleted = await db
    .delete(assistants)
    .where(and(eq(assistants.tenantId, tenantId), eq(assistants.id, assistantId)))
    .returning({ id: assistants.id });
  forgetLookups();
  return deleted.length > 0;
}
