import { roleAtMost } from "../../auth/roles";
import type { Deps, Identity, Role, TenantContext, Verb } from "../../context";
import { AppError, notFound } from "../../errors";
import { newId } from "../../lib/ids";
import type { PageRequest } from "../../lib/pagination";
import { nowIso } from "../../lib/time";
import {
  acceptInvitation as acceptInvitationRow,
  changeMemberRole as changeMemberRoleRow,
  declineInvitation as declineInvitationRow,
  deleteInvitation,
  deleteMember,
  findInvitation,
  findMember,
  hasMemberWithEmail,
  type InvitationRow,
  insertInvitation,
  listInvitations as listInvitationRows,
  listInvitationsToEmail,
  listMembers as listMemberRows,
} from "../../storage/repositories/members.repo";
import { findMembership, findTenant } from "../../storage/repositories/tenants.repo";
import { recordAuditEvent } from "../audit/audit.service";
import type { TenantWithRole } from "../tenants/tenants.service";
import { sendClerkInvitation } from "./clerk-invitations";

/** How long an invitation can be accepted. */
export const INVITATION_LIFETIME_DAYS = 7;

const lastOwner = () =>
  new AppError("conflict", "A tenant keeps at least one owner: make another member owner first");

/**
 * The people of a tenant are managed by people: an API key, whatever its role, could otherwise
 * turn a leaked key into a lasting membership. Checked after the lookup, so that another tenant's
 * id is a 404 for every caller, as everywhere else.
 */
function requirePerson(ctx: TenantContext): string {
  if (ctx.actor.type === "api_key" || ctx.actor.type === "visitor") {
    throw new AppError(
      "forbidden",
      "Members and invitations are managed by signed-in people; API keys cannot",
    );
  }
  return ctx.actor.userId;
}

export function listMembers({ ctx, deps, input }: Verb<{ page: PageRequest }>) {
  requirePerson(ctx);
  return listMemberRows(deps.db, ctx.tenantId, input.page);
}

/**
 * Gives a member another role. Needs an admin; nobody grants a role above their own, only owners
 * change an owner's role, and the tenant keeps at least one owner (409). What the member handed
 * out above the new role (API keys, invitations) goes in the same batch.
 */
export async function changeMemberRole({ ctx, deps, input }: Verb<{ memberId: string; role: Role }>) {
  const member = await findMember(deps.db, ctx.tenantId, input.memberId);
  if (!member) throw notFound("Member", input.memberId);
  requirePerson(ctx);
  if (!roleAtMost(input.role, ctx.role)) {
    throw new AppError("forbidden", `A ${ctx.role} cannot grant the ${input.role} role`);
  }
  const ownersProtected = ctx.role !== "owner";
  if (ownersProtected && member.role === "owner") {
    throw new AppError("forbidden", "Only an owner can change an owner's role");
  }
  const changed = await changeMemberRoleRow(
    deps.db,
    ctx.tenantId,
    member,
    input.role,
    ownersProtected,
    nowIso(),
  );
  if (!changed) throw lastOwner();
  await recordAuditEvent({
    ctx,
    deps,
    input: {
      action: "member.role_changed",
      targetType: "member",
      targetId: member.id,
      details: { user_id: member.userId, from: member.role, to: input.role },
    },
  });
  return changed;
}

/**
 * Removes a member. Anyone may leave; removing someone else needs an admin, and an owner only an
 * owner. The tenant keeps at least one owner (409). The member's API keys and invitations go in
 * the same batch.
 */
export async function removeMember({ ctx, deps, input }: Verb<{ memberId: string }>): Promise<void> {
  const member = await findMember(deps.db, ctx.tenantId, input.memberId);
  if (!member) throw notFound("Member", input.memberId);
  const leaving = requirePerson(ctx) === member.userId;
  if (!leaving && !roleAtMost("admin", ctx.role)) {
    throw new AppError("forbidden", "Removing another member needs the admin role");
  }
  const ownersProtected = !leaving && ctx.role !== "owner";
  if (ownersProtected && member.role === "owner") {
    throw new AppError("forbidden", "Only an owner can remove an owner");
  }
  if (!(await deleteMember(deps.db, ctx.tenantId, member, ownersProtected, nowIso()))) throw lastOwner();
  await recordAuditEvent({
    ctx,
    deps,
    input: {
      action: "member.removed",
      targetType: "member",
      targetId: member.id,
      details: { user_id: member.userId, role: member.role, left: leaving },
    },
  });
}

export function listInvitations({ ctx, deps, input }: Verb<{ page: PageRequest }>) {
  requirePerson(ctx);
  return listInvitationRows(deps.db, ctx.tenantId, input.page);
}

/** How an invitation reaches the invitee: e-mailed by Clerk, or a link the inviter shares. */
export interface SentInvitation {
  invitation: InvitationRow;
  delivery: "email" | "link";
  /** The console page where the invitee (signed in with the invited e-mail) accepts it. */
  acceptUrl: string;
}

/** The console page an invitation opens, on the console's own origin. */
export const invitationAcceptUrl = (consoleOrigin: string, invitationId: string) =>
  `${consoleOrigin}/invitations?invitation=${encodeURIComponent(invitationId)}`;

/**
 * Invites an email with a role no higher than the inviter's. The invitee sees it once signed in
 * (`GET /user/invitations`) and accepts it within INVITATION_LIFETIME_DAYS. 409 when the email is
 * already a member's or already has a valid invitation (revoke it to invite again). With Clerk's
 * secret key configured, Clerk e-mails it (a failure there withdraws it, 502); otherwise the
 * inviter gets a link to share.
 */
export async function inviteMember({
  ctx,
  deps,
  input,
}: Verb<{ email: string; role: Role; consoleOrigin: string }>): Promise<SentInvitation> {
  const invitedBy = requirePerson(ctx);
  if (!roleAtMost(input.role, ctx.role)) {
    throw new AppError("forbidden", `A ${ctx.role} cannot invite with the ${input.role} role`);
  }
  const email = input.email.toLowerCase();
  if (await hasMemberWithEmail(deps.db, ctx.tenantId, email)) {
    throw new AppError("conflict", `${email} is already a member of this tenant`);
  }
  const now = new Date();
  const row: InvitationRow = {
    id: newId("inv"),
    tenantId: ctx.tenantId,
    email,
    role: input.role,
    invitedBy,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_DAYS * 86_400_000).toISOString(),
  };
  const written = await insertInvitation(deps.db, row, row.createdAt, ctx.actor.type === "user");
  if (written === "withdrawn") {
    throw new AppError(
      "forbidden",
      `Your role in this tenant no longer allows inviting with the ${input.role} role`,
    );
  }
  if (!written) {
    throw new AppError("conflict", `${email} already has a pending invitation: revoke it to invite again`);
  }
  const acceptUrl = invitationAcceptUrl(input.consoleOrigin, row.id);
  const clerk = deps.config.clerkBackend;
  if (clerk) {
    try {
      await sendClerkInvitation(clerk, {
        email,
        redirectUrl: acceptUrl,
        tenantId: ctx.tenantId,
        invitationId: row.id,
      });
    } catch (error) {
      // Not sent: the invitation is withdrawn, so that inviting again is possible at once.
      await deleteInvitation(deps.db, ctx.tenantId, row.id);
      throw error;
    }
  }
  // The invitation's id and role, not its e-mail address: the audit log holds nothing personal.
  await recordAuditEvent({
    ctx,
    deps,
    input: {
      action: "member.invited",
      targetType: "invitation",
      targetId: row.id,
      details: { role: row.role },
    },
  });
  return { invitation: row, delivery: clerk ? "email" : "link", acceptUrl };
}

export async function revokeInvitation({ ctx, deps, input }: Verb<{ invitationId: string }>): Promise<void> {
  if (!(await findInvitation(deps.db, ctx.tenantId, input.invitationId))) {
    throw notFound("Invitation", input.invitationId);
  }
  requirePerson(ctx);
  if (!(await deleteInvitation(deps.db, ctx.tenantId, input.invitationId))) {
    throw notFound("Invitation", input.invitationId);
  }
  await recordAuditEvent({
    ctx,
    deps,
    input: { action: "member.invitation_revoked", targetType: "invitation", targetId: input.invitationId },
  });
}

/**
 * The email invitations are matched against: the signed-in user's, from the session token. API
 * keys and the development bypass have none, so no invitation is theirs.
 */
function inviteeEmail(identity: Identity): string | null {
  if (identity.actor.type !== "user") return null;
  if (!identity.actor.email) {
    throw new AppError(
      "forbidden",
      'Your session token carries no email, so invitations cannot be matched to you: add the claim "email": "{{user.primary_email_address}}" to the Clerk session token',
    );
  }
  return identity.actor.email;
}

/** The valid invitations addressed to the signed-in user's email. */
export async function listReceivedInvitations({ identity, deps }: { identity: Identity; deps: Deps }) {
  if (identity.actor.type === "api_key") {
    throw new AppError("forbidden", "API keys act inside their tenant and have no invitations");
  }
  const email = inviteeEmail(identity);
  return email ? listInvitationsToEmail(deps.db, email, nowIso()) : [];
}

/**
 * Accepts an invitation addressed to the signed-in user's email: the user joins its tenant with
 * its role. An invitation addressed to someone else, expired or revoked, is a 404.
 */
export async function acceptInvitation({
  identity,
  deps,
  input,
}: {
  identity: Identity;
  deps: Deps;
  input: { invitationId: string };
}): Promise<TenantWithRole> {
  const email = inviteeEmail(identity);
  if (!email || identity.actor.type !== "user") throw notFound("Invitation", input.invitationId);
  const { userId } = identity.actor;
  const tenantId = await acceptInvitationRow(deps.db, {
    invitationId: input.invitationId,
    email,
    userId,
    membershipId: newId("mem"),
    now: nowIso(),
  });
  const membership = tenantId ? await findMembership(deps.db, tenantId, userId) : undefined;
  const tenant = tenantId ? await findTenant(deps.db, tenantId) : undefined;
  if (!membership || !tenant) throw notFound("Invitation", input.invitationId);
  return { ...tenant, role: membership.role };
}

/** Declines (deletes) an invitation addressed to the signed-in user's email. */
export async function declineInvitation({
  identity,
  deps,
  input,
}: {
  identity: Identity;
  deps: Deps;
  input: { invitationId: string };
}): Promise<void> {
  const email = inviteeEmail(identity);
  if (!email || !(await declineInvitationRow(deps.db, input.invitationId, email))) {
    throw notFound("Invitation", input.invitationId);
  }
}
