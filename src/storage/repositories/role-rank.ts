import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { memberships } from "../schema";

/** A role's rank in SQL, as in auth/roles.ts: member 0, admin 1, owner 2. */
export const roleRank = (role: SQL | SQLiteColumn) =>
  sql`(CASE ${role} WHEN 'owner' THEN 2 WHEN 'admin' THEN 1 ELSE 0 END)`;

/** The rank of the role `userId` holds in the tenant when the statement runs; -1 once not a member. */
export const memberRank = (tenantId: string, userId: string) =>
  sql`COALESCE((SELECT ${roleRank(sql`m.role`)} FROM ${memberships} AS m WHERE m.tenant_id = ${tenantId} AND m.user_id = ${userId}), -1)`;
