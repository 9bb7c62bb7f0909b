import type { Config, PlanLimits } from "../../config";

export type PlanName = "free" | "pro";

/** The limits in force for a plan, from the configured plan table. */
export function planLimits(config: Config, plan: PlanName): PlanLimits {
  return config.plans[plan];
}
