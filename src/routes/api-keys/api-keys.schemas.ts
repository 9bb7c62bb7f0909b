import { z } from "@hono/zod-openapi";
import { apiKeyRoles } from "../../auth/roles";
import { nameField, pageOf } from "../openapi";

const ApiKeyRoleSchema = z.enum(apiKeyRoles).openapi({
  description:
    "member: works with collections, documents, assistants, search and chat; admin: also manages API keys. Never above the creator's role; billing is never open to keys.",
});

export const CreateApiKeySchema = z
  .object({ name: nameField(100), role: ApiKeyRoleSchema.default("member") })
  .openapi("CreateApiKey");

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    name: z.string(),
    prefix: z.string().openapi({ description: "The first characters of the key", example: "ak_3kq9x2m" }),
    role: ApiKeyRoleSchema,
    created_at: z.string().datetime(),
    last_used_at: z.string().datetime().nullable(),
  })
  .openapi("ApiKey");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The key itself: shown once, store it now" }),
}).openapi("CreatedApiKey");

export const ApiKeyPageSchema = pageOf(ApiKeySchema, "ApiKeyPage");
