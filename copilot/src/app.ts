import { Hono } from "hono";
import { type CopilotGrant, verifyCopilotToken } from "../../src/auth/copilot-token";
import { AppError, problemResponse } from "../../src/errors";
import { COPILOT_PATH, isCopilotRuntimeRoute } from "../../src/services/copilot/copilot-runtime-routes";
import { type CopilotConfig, copilotConfig } from "./config";
import type { CopilotEnv } from "./env";
import { ScopedAgentRunner } from "./scoped-agent-runner";

/** Where the API Worker forwards CopilotKit's requests (the path is kept as the browser sent it). */
export const BASE_PATH = COPILOT_PATH;

// The isolate's store of threads, bounded far below a Worker's 128 MB: the chat sends the whole
// conversation with every run, and no route reads a thread back.
const THREAD_STORE_LIMITS = { maxThreads: 200, maxRunsPerThread: 20, maxBytes: 16 * 1024 ** 2 };

const PROMPT =
  "You are the copilot of Ancre, a service that answers questions from a tenant's documents. " +
  "For questions about the tenant's activity, usage, quotas or assistants, call get_kpis and answer " +
  "from its figures. For questions about what the documents say, call search_documents and name " +
  "the files you quote. Be brief.";

const bearerToken = (request: Request) =>
  /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];

/**
 * CopilotKit, imported on first use: it costs about 270 ms of CPU to evaluate, which a Worker
 * without a model, or one that only refuses a request, need not spend.
 */
async function loadCopilotKit(llm: NonNullable<CopilotConfig["llm"]>) {
  const [{ createOpenAI }, runtime, { tenantTools }] = await Promise.all([
    import("@ai-sdk/openai"),
    import("@copilotkit/runtime/v2"),
    import("./tools"),
  ]);
  const { BuiltInAgent, CopilotRuntime, InMemoryAgentRunner, createCopilotRuntimeHandler } = runtime;
  const provider = createOpenAI({ apiKey: llm.apiKey, baseURL: llm.baseUrl });
  // One store of threads per isolate, reached only through each request's ScopedAgentRunner.
  const threads = new InMemoryAgentRunner(THREAD_STORE_LIMITS);

  /**
   * The runtime for one request: one agent, "default", whose tools act for the token's tenant,
   * and the threads of the token's tenant and user only.
   */
  return function copilotHandler(grant: CopilotGrant, token: string, api: Fetcher) {
    const copilotRuntime = new CopilotRuntime({
      agents: {
        default: new BuiltInAgent({
          // Chat Completions, which every OpenAI-compatible server speaks (not the Responses API).
          model: provider.chat(llm.model),
          prompt: PROMPT,
          tools: tenantTools(api, token),
          // A tool call, then the answer written from its result.
          maxSteps: 3,
        }),
      },
      runner: new ScopedAgentRunner(threads, grant),
    });
    // The API Worker answers CORS for /api/copilotkit.
    return createCopilotRuntimeHandler({ runtime: copilotRuntime, basePath: BASE_PATH, cors: false });
  };
}

type CopilotAppEnv = {
  Bindings: CopilotEnv;
  Variables: { requestId: string; grant: CopilotGrant; token: string };
};

/**
 * The copilot Worker's app: every request must carry a copilot token the API Worker signed (401
 * otherwise); without a model it answers `not_configured`; a route the console's chat does not
 * call is not found; else CopilotKit's runtime serves it, with an agent whose tools act for the
 * token's tenant, on threads kept apart by tenant and user.
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
    c.set("grant", grant);
    c.set("token", token);
    await next();
  });

  let copilotKit: ReturnType<typeof loadCopilotKit> | undefined;
  app.all(`${BASE_PATH}/*`, async (c) => {
    // The API forwards only these routes; refusing the rest here too keeps them shut if it did not.
    if (!isCopilotRuntimeRoute(c.req.method, new URL(c.req.url).pathname)) return c.notFound();
    // requireCopilotToken let only requests with a model configured through.
    copilotKit ??= loadCopilotKit(config.llm!);
    const handler = (await copilotKit)(c.var.grant, c.var.token, env.API);
    return handler(c.req.raw);
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
