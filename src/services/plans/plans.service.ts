import type { Config, PlanLimits } from "../../config";

export type PlanName = "free" | "pro";

export const planNames = ["free", "pro"] as const satisfies readonly PlanName[];

/** Resources a tenant holds at once; checked when one is created or a file uploaded. */
export const resourceMetrics = ["assistants", "collections", "documents", "storage_bytes"] as const;
export type ResourceMetric = (typeof resourceMetrics)[number];

/** Flows consumed as work happens; they reset at the start of each billing period. */
export const flowMetrics = ["chat_messages", "ingested_pages", "llm_tokens"] as const;
export type FlowMetric = (typeof flowMetrics)[number];

/** What the tenant quota object counts: the flows, and the resources an upload reserves. */
export const meteredMetrics = ["documents", "storage_bytes", ...flowMetrics] as const;
export type MeteredMetric = (typeof meteredMetrics)[number];

export const isFlowMetric = (metric: string): metric is FlowMetric =>
  (flowMetrics as readonly string[]).includes(metric);

/**
 * The plan whose limits are in force. Without billing configured every tenant runs on the free
 * limits, whatever its stored plan says.
 */
export function effectivePlan(
  config: Pick<Config, "billing"> | { billing: boolean },
  plan: PlanName,
): PlanName {
  return config.billing ? plan : "free";
}

/** The limits in force for a tenant on `plan`, from the configured plan table (see effectivePlan). */
export function planLimits(config: Config, plan: PlanName): PlanLimits {
  return config.plans[effectivePlan(config, plan)];
}
