import { createRoute, z } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import {
  acceptInvitation,
  changeMemberRole,
  declineInvitation,
  INVITATION_LIFETIME_DAYS,
  inviteMember,
  listInvitations,
  listMembers,
  listReceivedInvitations,
  removeMember,
  revokeInvitation,
} from "../../services/members";
import type { InvitationRow } from "../../storage/repositories/members.repo";
import type { MembershipRow } from "../../storage/repositories/tenants.repo";
import {
  idParams,
  jsonBody,
  jsonContent,
  newRouter,
  PageQuerySchema,
  pageOf,
  problemResponses,
  tenantSecurity,
  userSecurity,
} from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentTenant, TenantSchema } from "../tenants/tenants.routes";

const RoleSchema = z.enum(["owner", "admin", "member"]).openapi({
  description:
    "member: uses the tenant; admin: also manages API keys, billing, members and invitations; owner: also deletes the tenant and manages owners",
});

export const MemberSchema = z
  .object({
    id: z.string().openapi({ example: "mem_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    user_id: z.string().openapi({ description: "The identity provider's user id (Clerk's `sub`)" }),
    email: z.string().nullable().openapi({ description: "The email the user joined with, when known" }),
    role: RoleSchema,
    created_at: z.string().datetime(),
    is_caller: z.boolean().openapi({ description: "Whether this member is the caller" }),
  })
  .openapi("Member");

export const MemberPageSchema = pageOf(MemberSchema, "MemberPage");

export const InvitationSchema = z
  .object({
    id: z.string().openapi({ example: "inv_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    email: z.string(),
    role: RoleSchema,
    invited_by: z.string().openapi({ description: "The user id of the inviter" }),
    created_at: z.string().datetime(),
    expires_at: z.string().datetime(),
    expired: z
      .boolean()
      .openapi({ description: "Past `expires_at`: it can no longer be accepted; invite again" }),
  })
  .openapi("Invitation");

export const InvitationPageSchema = pageOf(InvitationSchema, "InvitationPage");

export const ReceivedInvitationSchema = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    tenant_name: z.string(),
    role: RoleSchema,
    expires_at: z.string().datetime(),
  })
  .openapi("ReceivedInvitation");

export const ReceivedInvitationListSchema = z
  .object({ data: z.array(ReceivedInvitationSchema) })
  .openapi("ReceivedInvitationList");

const CreateInvitationSchema = z
  .object({
    email: z.string().trim().email().max(254),
    role: RoleSchema.default("member"),
  })
  .openapi("CreateInvitation");

const memberIdParams = idParams("member_id", "mem_01jd3v9k2m4n5p6q7r8s9t0v1w");
const invitationIdParams = idParams("invitation_id", "inv_01jd3v9k2m4n5p6q7r8s9t0v1w");

const callerId = (actor: { type: string; userId?: string }) =>
  actor.type === "api_key" ? null : actor.userId;

const presentMember = (row: MembershipRow, caller: string | null | undefined) => ({
  id: row.id,
  user_id: row.userId,
  email: row.email,
  role: row.role,
  created_at: row.createdAt,
  is_caller: row.userId === caller,
});

const presentInvitation = (row: InvitationRow) => ({
  id: row.id,
  email: row.email,
  role: row.role,
  invited_by: row.invitedBy,
  created_at: row.createdAt,
  expires_at: row.expiresAt,
  expired: row.expiresAt <= new Date().toISOString(),
});

const peopleOnly = "Signed-in people only: API keys are refused (403).";

export const membersRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/members",
      tags: ["Members"],
      summary: "List the tenant's members",
      description: `Any member may list. ${peopleOnly}`,
      security: tenantSecurity,
      request: { query: PageQuerySchema },
      responses: { 200: jsonContent(MemberPageSchema, "A page of members"), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const call = tenantCall(c);
      const page = toPageRequest(c.req.valid("query"));
      const rows = await listMembers({ ...call, input: { page } });
      return c.json(
        toPage(rows, page, (row) => presentMember(row, callerId(call.ctx.actor))),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/members/{member_id}",
      tags: ["Members"],
      summary: "Change a member's role",
      description: `Needs the admin role. Nobody grants a role above their own; only an owner changes an owner's role; the last owner cannot be demoted (409). ${peopleOnly}`,
      security: tenantSecurity,
      request: {
        params: memberIdParams,
        body: jsonBody(z.object({ role: RoleSchema }).openapi("ChangeMemberRole")),
      },
      responses: {
        200: jsonContent(MemberSchema, "The member with its new role"),
        ...problemResponses(403, 404, 409),
      },
    }),
    async (c) => {
      const call = tenantCall(c, "admin");
      const row = await changeMemberRole({
        ...call,
        input: { memberId: c.req.valid("param").member_id, role: c.req.valid("json").role },
      });
      return c.json(presentMember(row, callerId(call.ctx.actor)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/members/{member_id}",
      tags: ["Members"],
      summary: "Remove a member, or leave the tenant",
      description: `Anyone may remove themselves; removing another member needs the admin role, and an owner only an owner. The last owner cannot be removed (409). ${peopleOnly}`,
      security: tenantSecurity,
      request: { params: memberIdParams },
      responses: { 204: { description: "Removed" }, ...problemResponses(403, 404, 409) },
    }),
    async (c) => {
      await removeMember({
        ...tenantCall(c),
        input: { memberId: c.req.valid("param").member_id },
      });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/invitations",
      tags: ["Members"],
      summary: "List the tenant's invitations, pending and expired",
      description: `Needs the admin role. ${peopleOnly}`,
      security: tenantSecurity,
      request: { query: PageQuerySchema },
      responses: {
        200: jsonContent(InvitationPageSchema, "A page of invitations"),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const page = toPageRequest(c.req.valid("query"));
      const rows = await listInvitations({
        ...tenantCall(c, "admin"),
        input: { page },
      });
      return c.json(toPage(rows, page, presentInvitation), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/invitations",
      tags: ["Members"],
      summary: "Invite someone by email",
      description: `Needs the admin role; the role (member by default) cannot be above the inviter's. The invitee signs in with that email, finds the invitation in \`GET /user/invitations\` and accepts it within ${INVITATION_LIFETIME_DAYS} days. 409 when the email is already a member's or has a pending invitation. ${peopleOnly}`,
      security: tenantSecurity,
      request: { body: jsonBody(CreateInvitationSchema) },
      responses: {
        201: jsonContent(InvitationSchema, "The invitation"),
        ...problemResponses(403, 404, 409),
      },
    }),
    async (c) => {
      const row = await inviteMember({
        ...tenantCall(c, "admin"),
        input: c.req.valid("json"),
      });
      return c.json(presentInvitation(row), 201);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/invitations/{invitation_id}",
      tags: ["Members"],
      summary: "Revoke an invitation",
      description: `Needs the admin role. ${peopleOnly}`,
      security: tenantSecurity,
      request: { params: invitationIdParams },
      responses: { 204: { description: "Revoked" }, ...problemResponses(403, 404) },
    }),
    async (c) => {
      await revokeInvitation({
        ...tenantCall(c, "admin"),
        input: { invitationId: c.req.valid("param").invitation_id },
      });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/user/invitations",
      tags: ["Members"],
      summary: "The invitations addressed to the signed-in user",
      description:
        'Matched on the email of the session token (Clerk\'s session token needs the claim `"email": "{{user.primary_email_address}}"`; without it, 403). No tenant header needed.',
      security: userSecurity,
      responses: {
        200: jsonContent(ReceivedInvitationListSchema, "The valid invitations"),
        ...problemResponses(403),
      },
    }),
    async (c) => {
      const rows = await listReceivedInvitations({ identity: c.var.identity, deps: c.var.deps });
      const data = rows.map(({ invitation, tenantName }) => ({
        id: invitation.id,
        tenant_id: invitation.tenantId,
        tenant_name: tenantName,
        role: invitation.role,
        expires_at: invitation.expiresAt,
      }));
      return c.json({ data }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/user/invitations/{invitation_id}/accept",
      tags: ["Members"],
      summary: "Accept an invitation: join its tenant with its role",
      description:
        "Only by the signed-in user whose session token's email is the invitation's. An invitation addressed to someone else, expired or revoked, is a 404. A user already a member keeps the role it has.",
      security: userSecurity,
      request: { params: invitationIdParams },
      responses: {
        200: jsonContent(TenantSchema, "The tenant joined"),
        ...problemResponses(403, 404),
      },
    }),
    async (c) => {
      const tenant = await acceptInvitation({
        identity: c.var.identity,
        deps: c.var.deps,
        input: { invitationId: c.req.valid("param").invitation_id },
      });
      return c.json(presentTenant(tenant), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/user/invitations/{invitation_id}",
      tags: ["Members"],
      summary: "Decline an invitation addressed to the signed-in user",
      security: userSecurity,
      request: { params: invitationIdParams },
      responses: { 204: { description: "Declined" }, ...problemResponses(403, 404) },
    }),
    async (c) => {
      await declineInvitation({
        identity: c.var.identity,
        deps: c.var.deps,
        input: { invitationId: c.req.valid("param").invitation_id },
      });
      return c.body(null, 204);
    },
  );
