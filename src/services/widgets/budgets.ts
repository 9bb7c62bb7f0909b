import type { Verb } from "../../context";
import { AppError } from "../../errors";
import { cachedLookup } from "../../storage/lookup-cache";
import { findWidget } from "../../storage/repositories/widgets.repo";
import type { WindowItem } from "../quotas/quota-object.interface";
import { widgetLookupKey } from "./widgets.service";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The budget names the 429 reports in `metric`, each with the widget column that sets it. */
const budgets = [
  {
    metric: "visitor_messages_per_hour",
    scope: "visitor",
    windowMs: HOUR_MS,
    limit: "visitorMessagesPerHour",
  },
  { metric: "visitor_messages_per_day", scope: "visitor", windowMs: DAY_MS, limit: "visitorMessagesPerDay" },
  {
    metric: "assistant_messages_per_hour",
    scope: "assistant",
    windowMs: HOUR_MS,
    limit: "assistantMessagesPerHour",
  },
  {
    metric: "assistant_messages_per_day",
    scope: "assistant",
    windowMs: DAY_MS,
    limit: "assistantMessagesPerDay",
  },
] as const;

const sentences: Record<(typeof budgets)[number]["scope"], string> = {
  visitor: "You have sent the most messages allowed for now",
  assistant: "This assistant has answered the most messages it may for now on this site",
};

/** A visitor's budget windows for one message, and the 429 to answer when one of them is full. */
export interface VisitorBudgets {
  windows: WindowItem[];
  refusal: (refused: WindowItem & { used: number }) => AppError;
}

/**
 * The widget's budgets a visitor's message counts against (per visitor and per assistant, per UTC
 * hour and per UTC day), counted with the message's reservation, all or none (services/quotas
 * admit): the visitor's by the lease holder of the visitor's region, the assistant's leased from
 * the tenant's ledger. Over one: 429 `quota_exceeded` naming the budget, with
 * `resets_at` and Retry-After. A message counts when sent, answered or not: the budgets bound
 * abuse, the plan's quotas bill what is answered. The limits are the widget's row as the visitor's
 * token was checked against it in the same request (widgets.service.ts: kept for the lookup
 * bound), not read again; the counts are the holder's and the ledger's, exact.
 */
export async function visitorBudgets({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; visitorId: string }>): Promise<VisitorBudgets> {
  const widget = await cachedLookup(deps, widgetLookupKey(ctx.tenantId, input.assistantId), () =>
    findWidget(deps.db, ctx.tenantId, input.assistantId),
  );
  if (!widget) throw new AppError("widget_disabled", "This assistant's widget is disabled");
  const now = Date.now();
  const windows: (WindowItem & { metric: string; scope: "visitor" | "assistant"; per: string })[] =
    budgets.map((budget) => {
      const windowStart = Math.floor(now / budget.windowMs) * budget.windowMs;
      const subject =
        budget.scope === "visitor" ? `${input.assistantId}:${input.visitorId}` : input.assistantId;
      return {
        metric: budget.metric,
        scope: budget.scope,
        per: budget.windowMs === HOUR_MS ? "hour" : "day",
        key: `widget:${budget.metric}:${subject}`,
        windowStart,
        windowEnd: windowStart + budget.windowMs,
        limit: widget[budget.limit],
      };
    });
  const refusal = (full: WindowItem & { used: number }) => {
    const refused = windows.find((window) => window.key === full.key)!;
    const resetsAt = new Date(refused.windowEnd).toISOString();
    const retryAfter = Math.max(1, Math.ceil((refused.windowEnd - Date.now()) / 1000));
    return new AppError(
      "quota_exceeded",
      `${sentences[refused.scope]}: ${refused.limit} messages per ${refused.per}. Try again after ${resetsAt}.`,
      {
        metric: refused.metric,
        scope: refused.scope,
        limit: refused.limit,
        used: full.used,
        resets_at: resetsAt,
      },
      { "Retry-After": String(retryAfter) },
    );
  };
  return {
    // A visitor is one browser, served in one region: its windows are counted there alone. The
    // assistant's are shared by every region (leased from the tenant's ledger).
    windows: windows.map(({ key, windowStart, windowEnd, limit, scope }) => ({
      key,
      windowStart,
      windowEnd,
      limit,
      ...(scope === "visitor" ? { perRegion: true } : {}),
    })),
    refusal,
  };
}
