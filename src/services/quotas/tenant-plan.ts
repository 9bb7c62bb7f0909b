import type { PlanLimits } from "../../config";
import {
  effectivePlan,
  isFlowMetric,
  type MeteredMetric,
  meteredMetrics,
  type PlanName,
} from "../plans/plans.service";
import { currentPeriod, type Period } from "./period";
import type { PlanPolicy, QuotaAmounts, ReserveItem, StoredPlan, TenantPlan } from "./quota-object.interface";

// The plan arithmetic shared by the quota service (which reads the plan from D1 for the usage
// pages) and the tenant quota object (which keeps the plan itself and resolves it on every call).

/** The plan policy of a configuration (passed to the quota object with each call). */
export const planPolicy = (config: {
  billing?: unknown;
  plans: Record<PlanName, PlanLimits>;
}): PlanPolicy => ({
  billing: Boolean(config.billing),
  plans: config.plans,
});

/** The plan a tenant runs on at `now` (see effectivePlan), with its limits and billing period. */
export function tenantPlanOf(policy: PlanPolicy, stored: Omit<StoredPlan, "ticket">, now: Date): TenantPlan {
  const plan = effectivePlan(policy, stored.plan);
  // A subscription period only governs a tenant that is on the paid plan.
  const subscription = plan === "pro" ? { start: stored.periodStart, end: stored.periodEnd } : undefined;
  return { plan, limits: policy.plans[plan], period: currentPeriod(subscription, now) };
}

/** The counter a metric uses: flows count within the period, resources for ever. */
export const meterKey = (metric: MeteredMetric, period: Period) => ({
  metric,
  periodStart: isFlowMetric(metric) ? period.start : "",
});

/** The items to reserve for `amounts` against the tenant's limits, in a fixed order. */
export function reserveItems(tenant: TenantPlan, amounts: QuotaAmounts): ReserveItem[] {
  return meteredMetrics
    .filter((metric) => amounts[metric] !== undefined)
    .map((metric) => ({
      ...meterKey(metric, tenant.period),
      amount: Math.max(0, Math.round(amounts[metric]!)),
      limit: tenant.limits[metric],
    }));
}
