import { createRoute, z } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import {
  type AssistantInput,
  createAssistant,
  deleteAssistant,
  getAssistant,
  listAssistants,
  updateAssistant,
} from "../../services/assistants";
import type { AssistantWithCollections } from "../../storage/repositories/assistants.repo";
import { assistantLanguages } from "../../storage/schema";
import {
  idParams,
  jsonBody,
  jsonContent,
  nameField,
  newRouter,
  PageQuerySchema,
  pageOf,
  problemResponses,
  tenantSecurity,
} from "../openapi";
import { tenantCall } from "../tenant-call";

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

const CreateAssistantSchema = z.object(assistantFields).openapi("CreateAssistant");
const UpdateAssistantSchema = z
  .object(assistantFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, "give at least one field to change")
  .openapi("UpdateAssistant");

type AssistantBody = z.infer<typeof UpdateAssistantSchema>;

function toInput(body: AssistantBody): Partial<AssistantInput> {
  return {
    name: body.name,
    systemPrompt: body.system_prompt,
    collectionIds: body.collection_ids,
    model: body.model,
    temperature: body.temperature,
    topK: body.top_k,
    language: body.language,
  };
}

export const presentAssistant = (row: AssistantWithCollections) => ({
  id: row.id,
  name: row.name,
  system_prompt: row.systemPrompt,
  collection_ids: row.collectionIds,
  model: row.model,
  temperature: row.temperature,
  top_k: row.topK,
  language: row.language,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

const assistantParams = idParams("assistant_id", "ast_01jd3v9k2m4n5p6q7r8s9t0v1w");

export const assistantsRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/assistants",
      tags: ["Assistants"],
      summary: "Create an assistant (limited per plan: 3 on Free)",
      security: tenantSecurity,
      request: { body: jsonBody(CreateAssistantSchema) },
      responses: { 201: jsonContent(AssistantSchema, "The new assistant"), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const row = await createAssistant({
        ...tenantCall(c),
        input: {
          ...toInput(body),
          name: body.name,
          systemPrompt: body.system_prompt,
          collectionIds: body.collection_ids,
        },
      });
      return c.json(presentAssistant(row), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/assistants",
      tags: ["Assistants"],
      summary: "List assistants",
      security: tenantSecurity,
      request: { query: PageQuerySchema },
      responses: {
        200: jsonContent(AssistantPageSchema, "A page of assistants"),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const page = toPageRequest(c.req.valid("query"));
      const rows = await listAssistants({ ...tenantCall(c), input: { page } });
      return c.json(toPage(rows, page, presentAssistant), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/assistants/{assistant_id}",
      tags: ["Assistants"],
      summary: "Get an assistant",
      security: tenantSecurity,
      request: { params: assistantParams },
      responses: { 200: jsonContent(AssistantSchema, "The assistant"), ...problemResponses(404) },
    }),
    async (c) => {
      const row = await getAssistant({
        ...tenantCall(c),
        input: { assistantId: c.req.valid("param").assistant_id },
      });
      return c.json(presentAssistant(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/assistants/{assistant_id}",
      tags: ["Assistants"],
      summary: "Change an assistant; `collection_ids`, when given, replaces the list",
      security: tenantSecurity,
      request: { params: assistantParams, body: jsonBody(UpdateAssistantSchema) },
      responses: { 200: jsonContent(AssistantSchema, "The updated assistant"), ...problemResponses(404) },
    }),
    async (c) => {
      const row = await updateAssistant({
        ...tenantCall(c),
        input: { assistantId: c.req.valid("param").assistant_id, changes: toInput(c.req.valid("json")) },
      });
      return c.json(presentAssistant(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/assistants/{assistant_id}",
      tags: ["Assistants"],
      summary: "Delete an assistant",
      security: tenantSecurity,
      request: { params: assistantParams },
      responses: { 204: { description: "Deleted" }, ...problemResponses(404) },
    }),
    async (c) => {
      await deleteAssistant({
        ...tenantCall(c),
        input: { assistantId: c.req.valid("param").assistant_id },
      });
      return c.body(null, 204);
    },
  );
