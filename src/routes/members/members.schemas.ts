import { z } from "@hono/zod-openapi";
import { pageOf } from "../openapi";

export const RoleSchema = z.enum(["owner", "admin", "member"]).openapi({
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

export const ChangeMemberRoleSchema = z.object({ role: RoleSchema }).openapi("ChangeMemberRole");

/** Said of every route of members and invitations. */
export const peopleOnly = "Signed-in people only: API keys are refused (403).";
