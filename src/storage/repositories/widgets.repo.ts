import { and, eq } from "drizzle-orm";
import type { Database } from "../db";
import { forgetLookups } from "../lookup-cache";
import { tenants, widgets } from "../schema";

export type WidgetRow = typeof widgets.$inferSelect;

/** The fields an administrator sets (everything but the key, the switch, what was refused and the timestamps). */
export type WidgetSettings = Omit<
  WidgetRow,
  "assistantId" | "tenantId" | "enabled" | "publishableKey" | "refusedOrigins" | "createdAt" | "updatedAt"
>;

export async function findWidget(
  db: Database,
  tenantId: string,
  assistantId: string,
): Promise<WidgetRow | undefined> {
  return db.query.widgets.findFirst({
    where: and(eq(widgets.tenantId, tenantId), eq(widgets.assistantId, assistantId)),
  });
}

/** The widget holding this publishable key, with whether its tenant is being deleted. */
export async function findWidgetByKey(db: Database, publishableKey: string) {
  const [row] = await db
    .select({ widget: widgets, tenantDeletionRequestedAt: tenants.deletionRequestedAt })
    .from(widgets)
    .innerJoin(tenants, eq(tenants.id, widgets.tenantId))
    .where(eq(widgets.publishableKey, publishableKey))
    .limit(1);
  return row;
}

/**
 * Writes the settings and enables the widget; a widget without a key yet gets `mintedKey`.
 * One statement, so that two concurrent first enablings keep one key.
 */
export async function enableWidget(
  db: Database,
  row: { tenantId: string; assistantId: string; settings: WidgetSettings; mintedKey: string; now: string },
): Promise<WidgetRow> {
  const [saved] = await db
    .insert(widgets)
    .values({
      ...row.settings,
      assistantId: row.assistantId,
      tenantId: row.tenantId,
      enabled: true,
      publishableKey: row.mintedKey,
      createdAt: row.now,
      updatedAt: row.now,
    })
    .onConflictDoUpdate({
      target: widgets.assistantId,
      set: { ...row.settings, enabled: true, updatedAt: row.now },
      // An assistant's widget row can only be its own tenant's: the assistant id is unique.
      setWhere: eq(widgets.tenantId, row.tenantId),
    })
    .returning();
  if (!saved) throw new Error(`widget of ${row.assistantId} was not saved`);
  // Sessions served by this isolate see the new settings at once (lookup-cache.ts).
  forgetLookups();
  return saved;
}

/** Changes the widget's key or switch; undefined when the assistant has no widget. */
export async function updateWidgetRow(
  db: Database,
  tenantId: string,
  assistantId: string,
  changes: Partial<Pick<WidgetRow, "publishableKey" | "enabled" | "allowedOrigins">> & { updatedAt: string },
): Promise<WidgetRow | undefined> {
  const [row] = await db
    .update(widgets)
    .set(changes)
    .where(and(eq(widgets.tenantId, tenantId), eq(widgets.assistantId, assistantId)))
    .returning();
  // A rotated key, a disabling or an origin stop this isolate's sessions at once (lookup-cache.ts).
  forgetLookups();
  return row;
}

/** Replaces the list of recently refused origins (not a setting: `updatedAt` stays). */
export async function setRefusedOrigins(
  db: Database,
  tenantId: string,
  assistantId: string,
  refusedOrigins: WidgetRow["refusedOrigins"],
): Promise<void> {
  await db
    .update(widgets)
    .set({ refusedOrigins })
    .where(and(eq(widgets.tenantId, tenantId), eq(widgets.assistantId, assistantId)));
}
