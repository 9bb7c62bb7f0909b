import { z } from "@hono/zod-openapi";
import { nameField, pageOf } from "../openapi";

export const TenantSchema = z
  .object({
    id: z.string().openapi({ example: "ten_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    name: z.string(),
    plan: z.enum(["free", "pro"]),
    role: z.enum(["owner", "admin", "member"]).openapi({ description: "The caller's role in the tenant" }),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("Tenant");

export const TenantPageSchema = pageOf(TenantSchema, "TenantPage");

export const TenantDetailsSchema = TenantSchema.extend({
  limits: z
    .object({
      assistants: z.number().int(),
      collections: z.number().int(),
      documents: z.number().int(),
      storage_bytes: z.number().int(),
      chat_messages: z.number().int(),
      ingested_pages: z.number().int(),
      llm_tokens: z.number().int(),
      requests_per_minute: z.number().int(),
    })
    .openapi({ description: "The limits of the plan in force (see GET /usage for what is used)" }),
  counts: z.object({
    collections: z.number().int(),
    assistants: z.number().int(),
    api_keys: z.number().int(),
  }),
}).openapi("TenantDetails");

export const TenantDeletionSchema = z
  .object({
    tenant_id: z.string(),
    status: z.literal("deleting"),
    requested_at: z.string().datetime(),
    remaining: z.record(z.string(), z.number().int()).openapi({
      description:
        "Rows of the tenant each table still holds; the tenant and this resource are gone (404) when the deletion ends",
      example: { documents: 12, chunks: 340, conversations: 3, memberships: 1 },
    }),
  })
  .openapi("TenantDeletion");

export const CreateTenantSchema = z.object({ name: nameField() });

export const DeleteTenantSchema = z.object({
  confirm: z.string().openapi({ description: "The tenant's name, exactly, to confirm" }),
});
