import { and, asc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { apiKeys } from "../schema";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(db: Database, row: ApiKeyRow): Promise<void> {
  await db.insert(apiKeys).values(row);
}

/** The active (not revoked) key with this hash. */
export async function findActiveKeyByHash(db: Database, keyHash: string): Promise<ApiKeyRow | undefined> {
  return db.query.apiKeys.findFirst({
    where: and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)),
  });
}

export async function listActiveKeys(db: Database, tenantId: string, page: PageRequest) {
  return db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.tenantId, tenantId),
        isNull(apiKeys.revokedAt),
        page.after ? gt(apiKeys.id, page.after) : undefined,
      ),
    )
    .orderBy(asc(apiKeys.id))
    .limit(page.limit + 1);
}

/** Marks a key revoked; returns false when the tenant has no such active key. */
export async function revokeKey(db: Database, tenantId: string, keyId: string, at: string): Promise<boolean> {
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length > 0;
}

/** Records use of a key, writing at most once per `staleBefore` window to spare D1 a write per request. */
export async function touchKey(db: Database, keyId: string, at: string, staleBefore: string) {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: at })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
}
