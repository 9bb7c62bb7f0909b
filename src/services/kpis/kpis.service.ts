import type { Deps, TenantContext } from "../../context";
import { busiestAssistants } from "../../storage/repositories/conversations.repo";
import { countDocumentsByStatus } from "../../storage/repositories/documents.repo";
import { type DocumentStatus, documentStatuses } from "../../storage/schema";
import { isFlowMetric } from "../plans/plans.service";
import { type Period, previousPeriod, readMeters } from "../quotas/quotas.service";
import { getUsage, type UsageMetric } from "../usage/usage.service";

/** One usage metric against the plan: what is used, the limit, the share in percent. */
export interface MetricFigure {
  used: number;
  limit: number;
  /** `used` as a share of `limit`, in percent to one decimal (0 when the plan allows nothing). */
  percent: number;
  /** The same figure over the previous period, for flows (messages, pages, tokens). */
  previous?: number;
}

/** Statuses the summary counts: uploads not yet complete are not documents yet. */
export type CountedStatus = Exclude<DocumentStatus, "uploading">;

export interface AssistantActivity {
  id: string;
  name: string;
  /** Questions asked this period. */
  questions: number;
  /** Questions asked over the previous period. */
  previous_questions: number;
}

/** The tenant's activity in one structured summary (the console's Overview and the copilot read it). */
export interface TenantKpis {
  period: Period;
  previous_period: Period;
  usage: Record<UsageMetric, MetricFigure>;
  documents: { by_status: Record<CountedStatus, number>; total: number; chunks: number };
  /** The assistants asked most over both periods, busiest this period first. */
  busiest_assistants: AssistantActivity[];
}

/** How many assistants the busiest-assistants figures name. */
export const BUSIEST_ASSISTANTS = 5;

const countedStatuses = documentStatuses.filter((status): status is CountedStatus => status !== "uploading");

const percentOf = (used: number, limit: number) => (limit > 0 ? Math.round((used / limit) * 1000) / 10 : 0);

/**
 * The tenant's KPIs: documents by status, chunks, storage, messages and tokens this period against
 * the previous one, each quota's use in percent, and the busiest assistants. Usage figures are the
 * usage service's (the quota counters), so they agree with `GET /usage` to the unit.
 */
export async function getTenantKpis({ ctx, deps }: { ctx: TenantContext; deps: Deps }): Promise<TenantKpis> {
  const usage = await getUsage({ ctx, deps });
  const before = previousPeriod(usage.period);
  const [previousMeters, statuses, assistants] = await Promise.all([
    readMeters({ ctx, deps, input: { period: before } }),
    countDocumentsByStatus(deps.db, ctx.tenantId),
    busiestAssistants(deps.db, ctx.tenantId, {
      previousFrom: before.start,
      currentFrom: usage.period.start,
      until: usage.period.end,
      limit: BUSIEST_ASSISTANTS,
    }),
  ]);

  const metrics = Object.entries(usage.metrics) as [UsageMetric, (typeof usage.metrics)[UsageMetric]][];
  const figures = Object.fromEntries(
    metrics.map(([metric, { used, limit }]): [UsageMetric, MetricFigure] => [
      metric,
      {
        used,
        limit,
        percent: percentOf(used, limit),
        ...(isFlowMetric(metric) ? { previous: previousMeters[metric].used } : {}),
      },
    ]),
  ) as Record<UsageMetric, MetricFigure>;
  const byStatus = Object.fromEntries(
    countedStatuses.map((status) => [status, statuses.find((row) => row.status === status)?.documents ?? 0]),
  ) as Record<CountedStatus, number>;

  return {
    period: usage.period,
    previous_period: before,
    usage: figures,
    documents: {
      by_status: byStatus,
      total: countedStatuses.reduce((total, status) => total + byStatus[status], 0),
      chunks: statuses.reduce((total, row) => total + row.chunks, 0),
    },
    busiest_assistants: assistants.map((assistant) => ({
      id: assistant.assistantId,
      name: assistant.name,
      questions: assistant.current,
      previous_questions: assistant.previous,
    })),
  };
}
