import { z } from "@hono/zod-openapi";
import { assistantLanguages } from "../../storage/schema";
import { nameField, pageOf } from "../openapi";

const MAX_COLLECTIONS_PER_ASSISTANT = 20;

const LanguageSettingSchema = z.enum(assistantLanguages).openapi({
  description:
    "The language of the assistant's fixed sentences (refusals, summary headings) and, with a model, of its answers. `auto` (the default) follows the language of each question.",
  example: "auto",
});

export const AssistantSchema = z
  .object({
    id: z.string().openapi({ example: "ast_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    name: z.string(),
    system_prompt: z.string(),
    collection_ids: z.array(z.string()),
    model: z.string().nullable().openapi({ description: "null: the configured default model" }),
    temperature: z.number(),
    top_k: z.number().int(),
    language: LanguageSettingSchema,
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("Assistant");

export const AssistantPageSchema = pageOf(AssistantSchema, "AssistantPage");

const assistantFields = {
  name: nameField(),
  system_prompt: z.string().max(20_000),
  collection_ids: z
    .array(z.string().min(1).max(64))
    .max(MAX_COLLECTIONS_PER_ASSISTANT)
    .refine((ids) => new Set(ids).size === ids.length, "collection ids must be distinct"),
  model: z.string().trim().min(1).max(200).nullish(),
  temperature: z.number().min(0).max(2).optional(),
  top_k: z.number().int().min(1).max(50).optional(),
  language: LanguageSettingSchema.optional(),
};

export const CreateAssistantSchema = z.object(assistantFields).openapi("CreateAssistant");

export const UpdateAssistantSchema = z
  .object(assistantFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, "give at least one field to change")
  .openapi("UpdateAssistant");
