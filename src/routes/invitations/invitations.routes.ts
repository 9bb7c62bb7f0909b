import { createRoute } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import {
  acceptInvitation,
  declineInvitation,
  INVITATION_LIFETIME_DAYS,
  inviteMember,
  listInvitations,
  listReceivedInvitations,
  revokeInvitation,
} from "../../services/members/members.service";
import { peopleOnly } from "../members/members.schemas";
import {
  idParams,
  jsonBody,
  jsonContent,
  newRouter,
  PageQuerySchema,
  problemResponses,
  tenantSecurity,
  userSecurity,
} from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentTenant } from "../tenants/tenants.presenters";
import { TenantSchema } from "../tenants/tenants.schemas";
import {
  presentInvitation,
  presentReceivedInvitation,
  presentSentInvitation,
} from "./invitations.presenters";
import {
  CreateInvitationSchema,
  InvitationPageSchema,
  ReceivedInvitationListSchema,
  SentInvitationSchema,
} from "./invitations.schemas";

const invitationIdParams = idParams("invitation_id", "inv_01jd3v9k2m4n5p6q7r8s9t0v1w");

/** The tenant's invitations: administrators invite, list and revoke. */
export const invitationsRoutes = newRouter()
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
      description: `Needs the admin role; the role (member by default) cannot be above the inviter's. The invitee signs in with that email, finds the invitation in \`GET /user/invitations\` and accepts it within ${INVITATION_LIFETIME_DAYS} days, through \`accept_url\`. With CLERK_SECRET_KEY set, Clerk e-mails the invitation (\`delivery: "email"\`; 502 if Clerk refuses, and nothing is kept); otherwise share \`accept_url\` yourself (\`delivery: "link"\`). 409 when the email is already a member's or has a pending invitation. ${peopleOnly}`,
      security: tenantSecurity,
      request: { body: jsonBody(CreateInvitationSchema) },
      responses: {
        201: jsonContent(SentInvitationSchema, "The invitation, and how it reaches the invitee"),
        ...problemResponses(403, 404, 409, 502),
      },
    }),
    async (c) => {
      const sent = await inviteMember({
        ...tenantCall(c, "admin"),
        input: { ...c.req.valid("json"), consoleOrigin: new URL(c.req.url).origin },
      });
      return c.json(presentSentInvitation(sent), 201);
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
  );

/** The invitations addressed to the signed-in user, who accepts or declines them: no tenant header. */
export const receivedInvitationsRoutes = newRouter()
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
      return c.json({ data: rows.map(presentReceivedInvitation) }, 200);
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
