import { createRoute, z } from "@hono/zod-openapi";
import { APP_VERSION } from "../../config";
import { jsonContent, newRouter } from "../openapi";

export const ConsoleConfigSchema = z
  .object({
    version: z.string(),
    environment: z.string(),
    clerk_publishable_key: z
      .string()
      .nullable()
      .openapi({ description: "Present when sign-in goes through Clerk; the console starts Clerk with it" }),
    dev_auth_bypass: z.boolean().openapi({
      description: "Local development only: any caller may act as any tenant by sending X-Tenant-ID",
    }),
    billing_configured: z.boolean(),
    features: z.object({
      generative_answers: z
        .boolean()
        .openapi({ description: "Answers come from a language model rather than quoted sentences" }),
    }),
    limits: z.object({ max_upload_bytes: z.number().int() }),
  })
  .openapi("ConsoleConfig");

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
