import type { Deps, TenantContext } from "../../context";
import { AppError, notFound } from "../../errors";
import { cachedLookup } from "../../storage/lookup-cache";
import { objectInRegion } from "../../storage/object-in-region";
import { findPlanAndPeriod } from "../../storage/repositories/billing.repo";
import {
  flowMetrics,
  isFlowMetric,
  type MeteredMetric,
  meteredMetrics,
  type PlanName,
} from "../plans/plans.service";
import { emitWebhookEvent, hasSubscribers } from "../webhooks/webhook-events";
import type { Period } from "./period";
import { LEASED_METRICS } from "./quota-lease.interface";
import type {
  Meter,
  QuotaAmounts,
  RateDecision,
  ReserveItem,
  StoredPlan,
  TenantPlan,
  WindowItem,
  WindowResult,
} from "./quota-object.interface";
import { meterKey, planPolicy, tenantPlanOf } from "./tenant-plan";

export { type Period, previousPeriod } from "./period";
export type { QuotaAmounts, TenantPlan } from "./quota-object.interface";

/**
 * The arguments of a quota verb. Only the tenant is needed of the caller's TenantContext, so that
 * background work (the ingestion service run by the queue consumer, a conversation Durable Object's
 * alarm) can call them with the context of its job as well as request handlers with theirs; a
 * request's context may also carry its rate-limit draw, which its reservation then takes along.
 */
export interface QuotaCall {
  ctx: Pick<TenantContext, "tenantId"> & Partial<Pick<TenantContext, "draw" | "region">>;
  deps: Deps;
}

export interface QuotaVerb<Input> extends QuotaCall {
  input: Input;
}

export interface QuotaReservation {
  /** Pass it to commitQuota or releaseQuota. */
  id: string;
  amounts: QuotaAmounts;
  plan: PlanName;
  period: Period;
}

/** How long a reservation is held before it counts as abandoned and is given back. */
export const DEFAULT_RESERVATION_TTL_SECONDS = 15 * 60;

const labels: Record<MeteredMetric, string> = {
  documents: "documents",
  storage_bytes: "bytes of storage",
  chat_messages: "chat messages",
  ingested_pages: "ingested pages",
  llm_tokens: "LLM tokens",
};

const quotaObject = (deps: Deps, tenantId: string) => deps.quotas.getByName(tenantId);

/**
 * The caller's lease holder, created in its region (a holder lives where it was first created),
 * when the deployment has them and the caller's region is known; undefined otherwise.
 */
function leaseHolder(deps: Deps, ctx: QuotaCall["ctx"]) {
  if (!deps.leases || !ctx.region) return undefined;
  return objectInRegion(deps.leases, leaseHolderName(ctx.tenantId, ctx.region), ctx.region);
}

/** A lease holder's name: one per tenant and region. */
const leaseHolderName = (tenantId: string, region: string) => `${tenantId}:${region}`;

/**
 * Whether a request's admission is decided by its region's lease holder: messages and tokens, an
 * upload's document and bytes (and the rate draw and a widget's windows with them) are; ingested
 * pages (counted by the queue consumer, which has no caller's region) are not.
 */
const leasable = (amounts: QuotaAmounts | undefined) =>
  Object.keys(amounts ?? {}).every((metric) => LEASED_METRICS.includes(metric));

/**
 * The plan a tenant runs on now (see effectivePlan), with its limits and billing period, as D1
 * holds it (the usage pages); reservations use the plan the tenant's object keeps (see admit).
 */
export async function getTenantPlan({ ctx, deps }: QuotaCall): Promise<TenantPlan> {
  const row = await cachedLookup(deps, `plan:${ctx.tenantId}`, () =>
    findPlanAndPeriod(deps.db, ctx.tenantId),
  );
  if (!row) throw notFound("Tenant", ctx.tenantId);
  return tenantPlanOf(planPolicy(deps.config), row, new Date());
}

function quotaExceeded(tenant: TenantPlan, refused: ReserveItem & Meter): AppError {
  const metric = refused.metric as MeteredMetric;
  const flow = isFlowMetric(metric);
  const remaining = Math.max(0, refused.limit - refused.used - refused.reserved);
  const resetsAt = flow ? tenant.period.end : null;
  const detail =
    `The ${tenant.plan} plan allows ${refused.limit} ${labels[metric]}${flow ? " per billing period" : ""}: ` +
    `${remaining} left, ${refused.amount} needed. ` +
    (flow ? `The quota resets at ${resetsAt}.` : "Free some up or upgrade the plan.");
  return new AppError("quota_exceeded", detail, {
    metric,
    limit: refused.limit,
    used: refused.used,
    remaining,
    requested: refused.amount,
    resets_at: resetsAt,
    plan: tenant.plan,
  });
}

/**
 * A request's one call to the tenant's object: its rate-limit draw when the request's context
 * carries one (ctx.draw, filled with the decision), the window events, and the reservation of
 * `amounts` against the plan the object keeps, in that order, all in one round trip. Throws
 * `rate_limited` (429), `windowRefused`'s error, or `quota_exceeded` (429) naming the metric, the
 * limit and when it resets. Under any concurrency a limit is never passed.
 */
export async function admit({
  ctx,
  deps,
  input,
}: QuotaVerb<{
  amounts?: QuotaAmounts;
  reservationId?: string;
  ttlSeconds?: number;
  windows?: WindowItem[];
  windowRefused?: (refused: WindowItem & { used: number }) => AppError;
}>): Promise<{ tenant: TenantPlan; reservation?: QuotaReservation }> {
  const draw = ctx.draw && !ctx.draw.decision ? ctx.draw : undefined;
  const reservationId = input.amounts
    ? (input.reservationId ?? `rsv_${crypto.randomUUID().replaceAll("-", "")}`)
    : undefined;
  const holder = leasable(input.amounts) ? leaseHolder(deps, ctx) : undefined;
  const result = await (holder ?? quotaObject(deps, ctx.tenantId)).admit({
    policy: planPolicy(deps.config),
    rate: draw && { key: draw.key, perRegion: draw.perRegion },
    windows: input.windows,
    reserve:
      input.amounts && reservationId
        ? {
            amounts: input.amounts,
            reservationId,
            ttlMs: (input.ttlSeconds ?? DEFAULT_RESERVATION_TTL_SECONDS) * 1000,
          }
        : undefined,
  });
  if (!("tenant" in result)) throw notFound("Tenant", ctx.tenantId);
  if (draw && result.rate) draw.decision = result.rate;
  if (!result.ok) {
    const { refused } = result;
    if (refused.type === "rate") throw rateLimited(result.rate!);
    if (refused.type === "window") {
      throw input.windowRefused?.(refused.window) ?? new AppError("quota_exceeded", "A window is full");
    }
    throw quotaExceeded(result.tenant, refused.item);
  }
  const { tenant } = result;
  const reservation =
    input.amounts && reservationId
      ? { id: reservationId, amounts: input.amounts, plan: tenant.plan, period: tenant.period }
      : undefined;
  return { tenant, reservation };
}

/**
 * Takes the request's rate-limit draw now, when its context carries one not yet taken (see
 * admit), for a service that must act before its reservation: throws `rate_limited` when refused.
 */
export async function takeDeferredDraw({ ctx, deps }: QuotaCall): Promise<void> {
  if (ctx.draw && !ctx.draw.decision) await admit({ ctx, deps, input: {} });
}

/**
 * Reserves amounts against the tenant's plan before the work, all or none, atomically: under any
 * concurrency the limit is never passed. Throws `quota_exceeded` (429) naming the metric, the limit
 * and when it resets. A `reservationId` of the caller's choosing makes retries idempotent. One call
 * to the tenant's object, which takes the request's rate-limit draw along (see admit).
 */
export async function reserveQuota({
  ctx,
  deps,
  input,
}: QuotaVerb<{
  amounts: QuotaAmounts;
  reservationId?: string;
  ttlSeconds?: number;
}>): Promise<QuotaReservation> {
  const { reservation } = await admit({ ctx, deps, input });
  return reservation!;
}

/**
 * Hands the tenant's object the plan billing just stored (under its sync ticket), so that the
 * next request runs on it: the object keeps the plan and does not read D1 for it.
 */
export async function keepPlan({ ctx, deps, input }: QuotaVerb<StoredPlan>): Promise<void> {
  await quotaObject(deps, ctx.tenantId).setPlan(input);
}

/**
 * Counts a reservation as used: the `actual` amounts where given (say, the real token count),
 * the reserved ones otherwise. Idempotent; returns false if it was already settled. With
 * `evenIfReleased`, a reservation given back by a caller that could not tell whether the work
 * was under way still counts: the work was done. `leased`: the reservation may have been made by
 * the caller's lease holder (a chat turn's), which is asked first; otherwise it is the ledger's.
 */
export async function commitQuota({
  ctx,
  deps,
  input,
}: QuotaVerb<{
  reservationId: string;
  actual?: QuotaAmounts;
  evenIfReleased?: boolean;
  leased?: boolean;
}>): Promise<boolean> {
  const settlement = {
    reservationId: input.reservationId,
    actual: input.actual as Record<string, number> | undefined,
    evenIfReleased: input.evenIfReleased,
  };
  // A reservation the caller's holder did not make was made at the ledger.
  const atHolder = input.leased ? await leaseHolder(deps, ctx)?.commit(settlement) : undefined;
  const counted =
    atHolder === undefined || atHolder === "unknown"
      ? await quotaObject(deps, ctx.tenantId).commit(settlement)
      : atHolder === "counted";
  if (counted) await announceQuotaThresholds({ ctx, deps });
  return counted;
}

/** The shares of a monthly quota whose crossing a `quota.threshold` webhook announces. */
export const QUOTA_THRESHOLDS = [80, 100] as const;

/**
 * Emits `quota.threshold` for each monthly quota whose usage has reached 80 % or 100 % of the
 * plan's limit, once per threshold and billing period (the tenant's quota object keeps the count).
 * Costs one cached read when no endpoint listens; never throws.
 */
async function announceQuotaThresholds({ ctx, deps }: QuotaCall): Promise<void> {
  try {
    if (!(await hasSubscribers(deps, ctx.tenantId, "quota.threshold"))) return;
    const tenant = await getTenantPlan({ ctx, deps });
    const meters = await readMeters({ ctx, deps, input: { period: tenant.period } });
    for (const metric of flowMetrics) {
      const { used } = meters[metric];
      const limit = tenant.limits[metric];
      for (const threshold of QUOTA_THRESHOLDS) {
        if (used * 100 < limit * threshold) continue;
        const first = await countInWindows({
          ctx,
          deps,
          input: {
            windows: [
              {
                key: `webhook:quota.threshold:${metric}:${threshold}`,
                windowStart: Date.parse(tenant.period.start),
                windowEnd: Date.parse(tenant.period.end),
                limit: 1,
              },
            ],
          },
        });
        if (!first.ok) continue;
        await emitWebhookEvent({
          ctx,
          deps,
          input: {
            type: "quota.threshold",
            data: {
              metric,
              threshold,
              used,
              limit,
              plan: tenant.plan,
              period: { start: tenant.period.start, end: tenant.period.end },
            },
          },
        });
      }
    }
  } catch (error) {
    console.error(`could not check the quota thresholds of tenant ${ctx.tenantId}`, error);
  }
}

/** Counts one event in each window, or none when one is full (see TenantQuotaObject.countInWindows). */
export function countInWindows({
  ctx,
  deps,
  input,
}: QuotaVerb<{ windows: WindowItem[] }>): Promise<WindowResult> {
  return quotaObject(deps, ctx.tenantId).countInWindows({ windows: input.windows });
}

/**
 * Gives a reservation back because the work failed. Idempotent; returns false if it was not held.
 * `leased` as for commitQuota.
 */
export async function releaseQuota({
  ctx,
  deps,
  input,
}: QuotaVerb<{ reservationId: string; leased?: boolean }>): Promise<boolean> {
  const atHolder = input.leased
    ? await leaseHolder(deps, ctx)?.release({ reservationId: input.reservationId })
    : undefined;
  if (atHolder === undefined || atHolder === "unknown")
    return quotaObject(deps, ctx.tenantId).release({ reservationId: input.reservationId });
  return atHolder === "counted";
}

/** Gives back the document count and storage of deleted documents. */
export async function giveBackDocuments({
  ctx,
  deps,
  input,
}: QuotaVerb<{ documents: { sizeBytes: number }[] }>): Promise<void> {
  if (input.documents.length === 0) return;
  const bytes = input.documents.reduce((total, document) => total + document.sizeBytes, 0);
  await quotaObject(deps, ctx.tenantId).giveBack({
    items: [
      { metric: "documents", periodStart: "", amount: input.documents.length },
      { metric: "storage_bytes", periodStart: "", amount: bytes },
    ],
  });
}

/** Gives back the storage a replaced original no longer takes. */
export async function giveBackStorage({ ctx, deps, input }: QuotaVerb<{ bytes: number }>): Promise<void> {
  if (input.bytes <= 0) return;
  await quotaObject(deps, ctx.tenantId).giveBack({
    items: [{ metric: "storage_bytes", periodStart: "", amount: input.bytes }],
  });
}

/** Every metered counter of the tenant in the given period (see getTenantPlan). */
export async function readMeters({
  ctx,
  deps,
  input,
}: QuotaVerb<{ period: Period }>): Promise<Record<MeteredMetric, Meter>> {
  const meters = await quotaObject(deps, ctx.tenantId).read({
    meters: meteredMetrics.map((metric) => meterKey(metric, input.period)),
  });
  return Object.fromEntries(meters.map((meter) => [meter.metric, meter])) as Record<MeteredMetric, Meter>;
}

/**
 * Takes one request from a caller's per-minute bucket (`key`: an API key id, a user, a client IP);
 * the bucket holds `perMinute` when given, the plan's requests per minute otherwise. Decided by
 * the caller's region's lease holder when the region is known: from the tokens it leases of the
 * key's one bucket, or, `perRegion`, from a bucket it keeps alone (a widget page's client IP: an
 * address reaches the region nearest to it). By the tenant's object otherwise.
 */
export async function takeRequest({
  ctx,
  deps,
  input,
}: QuotaVerb<{ key: string; perMinute?: number; perRegion?: boolean }>): Promise<RateDecision> {
  const holder = leaseHolder(deps, ctx);
  if (holder) {
    const result = await holder.admit({ policy: planPolicy(deps.config), rate: input });
    if (!("tenant" in result) || !result.rate) throw notFound("Tenant", ctx.tenantId);
    return result.rate;
  }
  const perMinute = input.perMinute ?? (await getTenantPlan({ ctx, deps })).limits.requests_per_minute;
  return quotaObject(deps, ctx.tenantId).takeRequest({ key: input.key, perMinute });
}

/** Whether an error is a refused rate-limit draw. */
export const isRateLimited = (error: unknown) => error instanceof AppError && error.code === "rate_limited";

/** The IETF RateLimit header fields for a bucket (draft-ietf-httpapi-ratelimit-headers). */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(decision.remaining),
    "RateLimit-Reset": String(decision.resetSeconds),
  };
}

/** The 429 `rate_limited` of a refused bucket, with `Retry-After`; `what` names what is limited. */
export function rateLimited(decision: RateDecision, what = "requests"): AppError {
  return new AppError(
    "rate_limited",
    `At most ${decision.limit} ${what} per minute; retry in ${decision.retryAfterSeconds} s`,
    { limit: decision.limit, retry_after: decision.retryAfterSeconds },
    { ...rateLimitHeaders(decision), "Retry-After": String(decision.retryAfterSeconds) },
  );
}

/** Writes the tenant's pending usage events to D1, so that history reads what was done. */
export async function flushUsage({ ctx, deps }: QuotaCall): Promise<void> {
  await quotaObject(deps, ctx.tenantId).flush();
}
