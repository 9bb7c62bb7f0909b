import { Hono } from "hono";
import { verifyCopilotToken } from "../../src/auth/copilot-token";
import { AppError, problemResponse } from "../../src/errors";
import { type CopilotConfig, copilotConfig } from "./config";
import type { CopilotEnv } from "./env";

/** Where the API Worker forwards CopilotKit's requests (the path is kept as the browser sent it). */
export const BASE_PATH = "/api/copilotkit";

const PROMPT =
  "You are the copilot of Ancre, a service that answers questions from a tenant's documents. " +
  "For questions about the tenant's activity, usage, quotas or assistants, call get_kpis and answer " +
  "from its figures. For questions about what the documents say, call search_documents and name " +
  "the files you quote. Be brief.";

const bearerToken = (request: Request) =>
  /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];

/**
 * CopilotKit's runtime with one agent, "default", whose tools act for the tenant of the request's
 * token. Imported on first use: CopilotKit costs about 270 ms of CPU to evaluate, which a Worker
 * without a model, or one that only refuses a request, need not spend.
 */
async function copilotRuntime(llm: NonNullable<CopilotConfig["llm"]>, api: Fetcher) {
  const [{ createOpenAI }, { BuiltInAgent, CopilotRuntime }, { createCopilotHonoHandler }, { tenantTools }] =
    await Promise.all([
      import("@ai-sdk/openai"),
      import("@copilotkit/runtime/v2"),
      import("@copilotkit/runtime/v2/hono"),
      import("./tools"),
    ]);
  const provider = createOpenAI({ apiKey: llm.apiKey, baseURL: llm.baseUrl });
  const runtime = new CopilotRuntime({
    agents: ({ request }) => ({
      default: new BuiltInAgent({
        // Chat Completions, which every OpenAI-compatible server speaks (not the Responses API).
        model: provider.chat(llm.model),
        prompt: PROMPT,
        tools: tenantTools(api, bearerToken(request)!),
        // A tool call, then the answer written from its result.
        maxSteps: 3,
      }),
    }),
  });
  return createCopilotHonoHandler({ runtime, basePath: BASE_PATH });
}

type CopilotAppEnv = { Bindings: CopilotEnv; Variables: { requestId: string } };

/**
 * The copilot Worker's app: every request must carry a copilot token the API Worker signed (401
 * otherwise); without a model it answers `not_configured`; else CopilotKit's runtime serves it,
 * with an agent whose tools act for the token's tenant.
 */
export function createCopilotApp(env: CopilotEnv) {
  const config = copilotConfig(env);
  const app = new Hono<CopilotAppEnv>();

  app.use(async function requireCopilotToken(c, next) {
    c.set("requestId", c.req.header("x-request-id") ?? `req_${crypto.randomUUID().replaceAll("-", "")}`);
    const token = bearerToken(c.req.raw);
    const grant = token && config.internalSecret && (await verifyCopilotToken(token, config.internalSecret));
    if (!grant) {
      throw new AppError("unauthenticated", "The copilot answers only requests forwarded by the API");
    }
    if (!config.llm) {
      throw new AppError(
        "not_configured",
        "A model is needed: set OPENAI_API_KEY (and OPENAI_BASE_URL for another OpenAI-compatible server) on the copilot Worker",
      );
    }
    await next();
  });

  let runtime: ReturnType<typeof copilotRuntime> | undefined;
  app.all(`${BASE_PATH}/*`, async (c) => {
    // requireCopilotToken let only requests with a model configured through.
    runtime ??= copilotRuntime(config.llm!, env.API);
    return (await runtime).fetch(c.req.raw, c.env, c.executionCtx);
  });

  app.notFound((c) =>
    problemResponse(
      new AppError("route_not_found", `No route for ${c.req.method} ${c.req.path}`),
      c.var.requestId,
    ),
  );
  app.onError((error, c) => {
    const requestId = c.var.requestId ?? "unknown";
    if (error instanceof AppError) return problemResponse(error, requestId);
    console.error(`[${requestId}] unhandled error`, error);
    return problemResponse(
      new AppError("internal_error", `An unexpected error occurred; quote request id ${requestId}`),
      requestId,
    );
  });
  return app;
}
