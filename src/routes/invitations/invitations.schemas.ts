import { z } from "@hono/zod-openapi";
import { RoleSchema } from "../members/members.schemas";
import { pageOf } from "../openapi";

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

export const SentInvitationSchema = InvitationSchema.extend({
  delivery: z.enum(["email", "link"]).openapi({
    description:
      "email: Clerk e-mailed the invitation (CLERK_SECRET_KEY is set); link: nothing was sent, share accept_url with the invitee",
  }),
  accept_url: z.string().url().openapi({
    description: "The console page where the invitee, signed in with the invited e-mail, accepts it",
    example: "https://ancre.example/invitations?invitation=inv_01jd3v9k2m4n5p6q7r8s9t0v1w",
  }),
}).openapi("SentInvitation");

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

export const CreateInvitationSchema = z
  .object({
    email: z.string().trim().email().max(254),
    role: RoleSchema.default("member"),
  })
  .openapi("CreateInvitation");
