import { z } from "@hono/zod-openapi";

const CheckSchema = z.object({
  status: z.enum(["ok", "error", "configured"]),
  latency_ms: z.number().optional(),
  error: z.string().optional(),
});

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string(),
    environment: z.string(),
    checks: z.record(z.string(), CheckSchema),
  })
  .openapi("Health");

export type Check = z.infer<typeof CheckSchema>;
