import { createRoute } from "@hono/zod-openapi";
import { APP_VERSION } from "../../config";
import { jsonContent, newRouter } from "../openapi";
import { type Check, HealthSchema } from "./health.schemas";

async function probe(run: () => Promise<unknown>): Promise<Check> {
  const started = Date.now();
  try {
    await run();
    return { status: "ok", latency_ms: Date.now() - started };
  } catch (error) {
    return { status: "error", latency_ms: Date.now() - started, error: String(error) };
  }
}

// Queues and Durable Object namespaces offer no cheap ping: their presence is what can be checked.
const present = (binding: unknown): Check =>
  binding ? { status: "configured" } : { status: "error", error: "binding missing" };

export const healthRoutes = newRouter().openapi(
  createRoute({
    method: "get",
    path: "/health",
    tags: ["Health"],
    summary: "Version and whether each binding answers",
    responses: {
      200: jsonContent(HealthSchema, "Every binding answers"),
      503: jsonContent(HealthSchema, "At least one binding failed"),
    },
  }),
  async (c) => {
    const env = c.env;
    const [database, files] = await Promise.all([
      probe(() => env.DB.prepare("SELECT 1").first()),
      probe(() => env.FILES.head("health-probe")),
    ]);
    const checks: Record<string, Check> = {
      database,
      files,
      ingest_queue: present(env.INGEST_QUEUE),
      conversations: present(env.CONVERSATION),
      tenant_quotas: present(env.TENANT_QUOTA),
      vector_index: present(env.SEARCH_SHARD),
    };
    const healthy = Object.values(checks).every((check) => check.status !== "error");
    const body = {
      status: healthy ? ("ok" as const) : ("degraded" as const),
      version: APP_VERSION,
      environment: c.var.deps.config.environment,
      checks,
    };
    return healthy ? c.json(body, 200) : c.json(body, 503);
  },
);
