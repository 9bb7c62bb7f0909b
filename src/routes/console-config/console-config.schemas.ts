import { z } from "@hono/zod-openapi";

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
