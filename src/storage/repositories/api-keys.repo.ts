import { and, asc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { forgetLookups } from "../lookup-cache";
import { apiKeys, tenants } from "../schema";
import { memberRank, roleRank } from "./role-rank";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(db: Database, row: ApiKeyRow): Promise<void> {
  await db.insert(apiKeys).values(row);
}

/**
 * Inserts a key minted by another key, in one batch with a statement that revokes it at once if
 * its creator is revoked by then: a revocation landing between the caller's authentication and
 * this insert still takes the new key along. Returns false when the new key was born revoked.
 */
export async function insertKeyMintedByKey(
  db: Database,
  row: ApiKeyRow,
  creatorKeyId: string,
): Promise<boolean> {
  const creator = sql`(SELECT creator.revoked_at FROM ${apiKeys} AS creator WHERE creator.id = ${creatorKeyId})`;
  const [, bornRevoked] = await db.batch([
    db.insert(apiKeys).values(row),
    db
      .update(apiKeys)
      .set({ revokedAt: creator })
      .where(and(eq(apiKeys.id, row.id), sql`${creator} IS NOT NULL`))
      .returning({ id: apiKeys.id }),
  ]);
  return bornRevoked.length === 0;
}

/**
 * Inserts a key a signed-in user created, in one batch with a statement that revokes it at once
 * if its role is above the one the user holds by then: a removal or demotion landing between the
 * request's authentication and this insert still takes the new key along. Returns false when the
 * new key was born revoked.
 */
export async function insertKeyMintedByMember(
  db: Database,
  row: ApiKeyRow,
  userId: string,
): Promise<boolean> {
  const [, bornRevoked] = await db.batch([
    db.insert(apiKeys).values(row),
    db
      .update(apiKeys)
      .set({ revokedAt: row.createdAt })
      .where(
        and(eq(apiKeys.id, row.id), sql`${roleRank(apiKeys.role)} > ${memberRank(row.tenantId, userId)}`),
      )
      .returning({ id: apiKeys.id }),
  ]);
  return bornRevoked.length === 0;
}

/** The tenant's active key with this id. */
export async function findActiveKey(
  db: Database,
  tenantId: string,
  keyId: string,
): Promise<ApiKeyRow | undefined> {
  return db.query.apiKeys.findFirst({
    where: and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)),
  });
}

/** Whether `keyId` is `ancestorKeyId` or was minted from it, at any depth, inside the tenant. */
export async function isKeyMintedBy(
  db: Database,
  tenantId: string,
  keyId: string,
  ancestorKeyId: string,
): Promise<boolean> {
  const row = await db.get<{ found: number } | undefined>(sql`
    WITH RECURSIVE ancestry(id, created_by) AS (
      SELECT id, created_by FROM ${apiKeys} WHERE tenant_id = ${tenantId} AND id = ${keyId}
      UNION
      SELECT k.id, k.created_by FROM ${apiKeys} AS k JOIN ancestry ON k.id = ancestry.created_by
      WHERE k.tenant_id = ${tenantId}
    )
    SELECT 1 AS found FROM ancestry WHERE id = ${ancestorKeyId} LIMIT 1`);
  return row !== undefined && row !== null;
}

/** The active (not revoked) key with this hash. */
/** An active key by its hash, with when its tenant's deletion was requested (null while the tenant lives). */
export async function findActiveKeyByHash(
  db: Database,
  keyHash: string,
): Promise<(ApiKeyRow & { tenantDeletionRequestedAt: string | null }) | undefined> {
  const [row] = await db
    .select({ key: apiKeys, tenantDeletionRequestedAt: tenants.deletionRequestedAt })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row && { ...row.key, tenantDeletionRequestedAt: row.tenantDeletionRequestedAt };
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

/**
 * Revokes an active key of the tenant and, in the same statement, every key minted from it at any
 * depth (a key's `created_by` is the id of the key that created it). Returns the ids revoked:
 * empty when the tenant has no such active key.
 */
export async function revokeKeyAndMinted(
  db: Database,
  tenantId: string,
  keyId: string,
  at: string,
): Promise<string[]> {
  const rows = await db.all<{ id: string }>(sql`
    WITH RECURSIVE lineage(id) AS (
      SELECT id FROM ${apiKeys} WHERE tenant_id = ${tenantId} AND id = ${keyId} AND revoked_at IS NULL
      UNION
      SELECT k.id FROM ${apiKeys} AS k JOIN lineage ON k.created_by = lineage.id WHERE k.tenant_id = ${tenantId}
    )
    UPDATE ${apiKeys} SET revoked_at = ${at}
    WHERE tenant_id = ${tenantId} AND revoked_at IS NULL AND id IN (SELECT id FROM lineage)
    RETURNING id`);
  forgetLookups();
  return rows.map((row) => row.id);
}

/**
 * The statement revoking the keys `userId` minted in the tenant with a role above the one they
 * hold there when it runs (all of them once they are not a member), with every key minted from
 * those at any depth. Keys within their role stay: they could mint them again.
 */
export function revokeKeysAboveCreatorRole(db: Database, tenantId: string, userId: string, at: string) {
  // An UPDATE builder rather than raw SQL: drizzle's D1 batch cannot take a raw statement.
  const lineage = sql`(
    WITH RECURSIVE lineage(id) AS (
      SELECT id FROM ${apiKeys}
      WHERE tenant_id = ${tenantId} AND created_by = ${userId}
        AND ${roleRank(sql`role`)} > ${memberRank(tenantId, userId)}
      UNION
      SELECT k.id FROM ${apiKeys} AS k JOIN lineage ON k.created_by = lineage.id WHERE k.tenant_id = ${tenantId}
    )
    SELECT id FROM lineage)`;
  return db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt), sql`${apiKeys.id} IN ${lineage}`));
}

/** Records use of a key, writing at most once per `staleBefore` window to spare D1 a write per request. */
export async function touchKey(db: Database, keyId: string, at: string, staleBefore: string) {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: at })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
}
