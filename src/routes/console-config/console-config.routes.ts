import { createRoute } from "@hono/zod-openapi";
import { APP_VERSION } from "../../config";
import { jsonContent, newRouter } from "../openapi";
import { ConsoleConfigSchema } from "./console-config.schemas";

/**
 * What the console needs before anyone signs in. It is read at run time, not baked into the
 * build, so one console build serves every environment. Everything in it is public.
 */
export const consoleConfigRoutes = newRouter().openapi(
  createRoute({
    method: "get",
    path: "/config",
    tags: ["Health"],
    summary: "Public settings for the console: how to sign in, which features are on",
    responses: { 200: jsonContent(ConsoleConfigSchema, "The console's settings") },
  }),
  (c) => {
    const config = c.var.deps.config;
    return c.json(
      {
        version: APP_VERSION,
        environment: config.environment,
        clerk_publishable_key: config.clerk?.publishableKey ?? null,
        dev_auth_bypass: config.devAuthBypass,
        billing_configured: config.billing !== undefined,
        features: { generative_answers: config.llm.provider !== "extractive" },
        limits: { max_upload_bytes: config.upload.maxBytes },
      },
      200,
    );
  },
);
