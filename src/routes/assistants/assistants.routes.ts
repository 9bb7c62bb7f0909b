import { createRoute, type z } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import {
  type AssistantInput,
  createAssistant,
  deleteAssistant,
  getAssistant,
  listAssistants,
  updateAssistant,
} from "../../services/assistants/assistants.service";
import {
  idParams,
  jsonBody,
  jsonContent,
  newRouter,
  PageQuerySchema,
  problemResponses,
  tenantSecurity,
} from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentAssistant } from "./assistants.presenters";
import {
  AssistantPageSchema,
  AssistantSchema,
  CreateAssistantSchema,
  UpdateAssistantSchema,
} from "./assistants.schemas";

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
