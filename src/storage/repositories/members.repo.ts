import { and, asc, eq, gt, isNull, lte, ne, or, type SQL, sql } from "drizzle-orm";
import type { Role } from "../../auth/roles";
import type { PageRequest } from "../../lib/pagination";
import type { Database } from "../db";
import { forgetLookups } from "../lookup-cache";
import { invitations, memberships, tenants } from "../schema";
import { revokeKeysAboveCreatorRole } from "./api-keys.repo";
import { memberRank, roleRank } from "./role-rank";
import type { MembershipRow } from "./tenants.repo";

export type InvitationRow = typeof invitations.$inferSelect;

export async function listMembers(db: Database, tenantId: string, page: PageRequest) {
  return db
    .select()
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), page.after ? gt(memberships.id, page.after) : undefined))
    .orderBy(asc(memberships.id))
    .limit(page.limit + 1);
}

export async function findMember(
  db: Database,
  tenantId: string,
  memberId: string,
): Promise<MembershipRow | undefined> {
  return db.query.memberships.findFirst({
    where: and(eq(memberships.tenantId, tenantId), eq(memberships.id, memberId)),
  });
}

/** Whether a member of the tenant joined with this (lower-cased) email. */
export async function hasMemberWithEmail(db: Database, tenantId: string, email: string): Promise<boolean> {
  const row = await db.query.memberships.findFirst({
    columns: { id: true },
    where: and(eq(memberships.tenantId, tenantId), eq(memberships.email, email)),
  });
  return row !== undefined;
}

/**
 * The guard of every change to a membership: with `ownersProtected` (an admin acting) owners are
 * not touched; otherwise an owner loses the role only while another owner remains. It is part of
 * the changing statement, so two owners demoting each other at once cannot both win.
 */
function membershipGuard(tenantId: string, ownersProtected: boolean, staysOwner: boolean): SQL | undefined {
  if (ownersProtected) return ne(memberships.role, "owner");
  if (staysOwner) return undefined;
  const otherOwners = sql`(SELECT COUNT(*) FROM ${memberships} AS o WHERE o.tenant_id = ${tenantId} AND o.role = 'owner') > 1`;
  return or(ne(memberships.role, "owner"), otherOwners);
}

/**
 * The statements that take back what `userId` handed out above the role they now hold in the
 * tenant (everything, once they are no longer a member): the API keys they minted, with the keys
 * minted from those, are revoked, and their invitations withdrawn. Batched after a change to the
 * membership, they land with it, and change nothing when its guard refused it.
 */
function withdrawGrantsAboveRole(db: Database, tenantId: string, userId: string, at: string) {
  return [
    revokeKeysAboveCreatorRole(db, tenantId, userId, at),
    db
      .delete(invitations)
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          eq(invitations.invitedBy, userId),
          sql`${roleRank(invitations.role)} > ${memberRank(tenantId, userId)}`,
        ),
      ),
  ] as const;
}

/**
 * Gives the member `role` under `membershipGuard`, and in the same batch revokes the keys and
 * withdraws the invitations they handed out above it. Returns the changed row, or undefined when
 * the guard (or a missing row) refused.
 */
export async function changeMemberRole(
  db: Database,
  tenantId: string,
  member: Pick<MembershipRow, "id" | "userId">,
  role: Role,
  ownersProtected: boolean,
  at: string,
): Promise<MembershipRow | undefined> {
  const [[row]] = await db.batch([
    db
      .update(memberships)
      .set({ role })
      .where(
        and(
          eq(memberships.tenantId, tenantId),
          eq(memberships.id, member.id),
          membershipGuard(tenantId, ownersProtected, role === "owner"),
        ),
      )
      .returning(),
    ...withdrawGrantsAboveRole(db, tenantId, member.userId, at),
  ]);
  forgetLookups();
  return row;
}

/**
 * Removes the member under `membershipGuard`, and in the same batch revokes every key they minted
 * (with the keys minted from those) and withdraws their invitations. Returns whether it was removed.
 */
export async function deleteMember(
  db: Database,
  tenantId: string,
  member: Pick<MembershipRow, "id" | "userId">,
  ownersProtected: boolean,
  at: string,
): Promise<boolean> {
  const [rows] = await db.batch([
    db
      .delete(memberships)
      .where(
        and(
          eq(memberships.tenantId, tenantId),
          eq(memberships.id, member.id),
          membershipGuard(tenantId, ownersProtected, false),
        ),
      )
      .returning({ id: memberships.id }),
    ...withdrawGrantsAboveRole(db, tenantId, member.userId, at),
  ]);
  forgetLookups();
  return rows.length === 1;
}

export async function listInvitations(db: Database, tenantId: string, page: PageRequest) {
  return db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), page.after ? gt(invitations.id, page.after) : undefined))
    .orderBy(asc(invitations.id))
    .limit(page.limit + 1);
}

/**
 * Writes the invitation, replacing an expired one to the same email; returns false (and writes
 * nothing) when the email already has an invitation still valid at `now`. With `inviterIsMember`,
 * the same batch deletes it again if its role is above the one its inviter holds by then (a
 * removal or demotion landing while the invitation was being made): it returns "withdrawn".
 */
export async function insertInvitation(
  db: Database,
  row: InvitationRow,
  now: string,
  inviterIsMember: boolean,
): Promise<boolean | "withdrawn"> {
  const upsert = db
    .insert(invitations)
    .values(row)
    .onConflictDoUpdate({
      target: [invitations.tenantId, invitations.email],
      set: {
        id: row.id,
        role: row.role,
        invitedBy: row.invitedBy,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
      },
      setWhere: lte(invitations.expiresAt, now),
    })
    .returning({ id: invitations.id });
  if (!inviterIsMember) return (await upsert).length === 1;
  const [written, withdrawn] = await db.batch([
    upsert,
    db
      .delete(invitations)
      .where(
        and(
          eq(invitations.id, row.id),
          sql`${roleRank(invitations.role)} > ${memberRank(row.tenantId, row.invitedBy)}`,
        ),
      )
      .returning({ id: invitations.id }),
  ]);
  if (withdrawn.length > 0) return "withdrawn";
  return written.length === 1;
}

export async function deleteInvitation(
  db: Database,
  tenantId: string,
  invitationId: string,
): Promise<boolean> {
  const rows = await db
    .delete(invitations)
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, invitationId)))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

/** The invitations addressed to this email that are still valid, with their tenant's name. */
export async function listInvitationsToEmail(db: Database, email: string, now: string) {
  return db
    .select({ invitation: invitations, tenantName: tenants.name })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(
      and(eq(invitations.email, email), gt(invitations.expiresAt, now), isNull(tenants.deletionRequestedAt)),
    )
    .orderBy(asc(invitations.id))
    .limit(100);
}

/**
 * Accepts a valid invitation addressed to `email`: in one batch, the membership is written with
 * the invitation's role (a user already a member keeps the role it has) and the invitation
 * deleted. Returns the tenant joined, or undefined when no such valid invitation exists.
 */
export async function acceptInvitation(
  db: Database,
  input: { invitationId: string; email: string; userId: string; membershipId: string; now: string },
): Promise<string | undefined> {
  const { invitationId, email, userId, membershipId, now } = input;
  // Plain D1 statements: drizzle cannot batch an INSERT … SELECT. Both read the same condition.
  const valid = `i.id = ?1 AND i.email = ?2 AND i.expires_at > ?3
    AND (SELECT t.deletion_requested_at FROM tenants t WHERE t.id = i.tenant_id) IS NULL`;
  const insertMembership = db.$client
    .prepare(
      `INSERT INTO memberships (id, tenant_id, user_id, role, email, created_at)
       SELECT ?4, i.tenant_id, ?5, i.role, i.email, ?3 FROM invitations i WHERE ${valid}
       ON CONFLICT (tenant_id, user_id) DO NOTHING`,
    )
    .bind(invitationId, email, now, membershipId, userId);
  const deleteAccepted = db.$client
    .prepare(`DELETE FROM invitations AS i WHERE ${valid} RETURNING tenant_id`)
    .bind(invitationId, email, now);
  const [, deleted] = await db.$client.batch<{ tenant_id: string }>([insertMembership, deleteAccepted]);
  return deleted?.results[0]?.tenant_id;
}

/** Deletes an invitation addressed to `email` (declined); returns whether there was one. */
export async function declineInvitation(db: Database, invitationId: string, email: string): Promise<boolean> {
  const rows = await db
    .delete(invitations)
    .where(and(eq(invitations.id, invitationId), eq(invitations.email, email)))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

export async function findInvitation(
  db: Database,
  tenantId: string,
  invitationId: string,
): Promise<InvitationRow | undefined> {
  return db.query.invitations.findFirst({
    where: and(eq(invitations.tenantId, tenantId), eq(invitations.id, invitationId)),
  });
}
