import type { Deps, TenantContext } from "../../context";
import { busiestAssistants } from "../../storage/repositories/conversations.repo";
import { countDocumentsByStatus } from "../../storage/repositories/documents.repo";
import { type DocumentStatus, documentStatuses } from "../../storage/schema";
import { isFlowMetric } from "../plans/plans.service";
import { type Period, previousPeriod, readMeters } from "../quotas/quotas.service";
import { getUsage, type UsageMetric } from "../usage/usage.service";

/** One figure of the tenant's activity, as the copilot renders it (a card, a bar of a chart). */
export interface Kpi {
  key: string;
  label: string;
  value: number;
  unit: string;
  /** The plan's limit, for figures a quota bounds. */
  limit?: number;
  /** The same figure over the previous period, for flows. */
  previous?: number;
}

export interface TenantKpis {
  period: Period;
  previous_period: Period;
  kpis: Kpi[];
}

/** How many assistants the busiest-assistants figures name. */
export const BUSIEST_ASSISTANTS = 5;

const metricFigures: Record<UsageMetric, { label: string; unit: string }> = {
  assistants: { label: "Assistants", unit: "assistants" },
  collections: { label: "Collections", unit: "collections" },
  documents: { label: "Documents", unit: "documents" },
  storage_bytes: { label: "Storage used", unit: "bytes" },
  chat_messages: { label: "Messages this period", unit: "messages" },
  ingested_pages: { label: "Pages ingested this period", unit: "pages" },
  llm_tokens: { label: "LLM tokens this period", unit: "tokens" },
};

const statusLabels: Record<Exclude<DocumentStatus, "uploading">, string> = {
  queued: "Documents queued",
  processing: "Documents being ingested",
  ready: "Documents ready",
  failed: "Documents failed",
};

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
  const usageKpis = metrics.map(([metric, figures]): Kpi => {
    const previous = isFlowMetric(metric) ? previousMeters[metric].used : undefined;
    return {
      key: metric,
      ...metricFigures[metric],
      value: figures.used,
      limit: figures.limit,
      ...(previous === undefined ? {} : { previous }),
    };
  });
  const statusKpis = documentStatuses
    .filter((status) => status !== "uploading")
    .map(
      (status): Kpi => ({
        key: `documents.${status}`,
        label: statusLabels[status],
        value: statuses.find((row) => row.status === status)?.documents ?? 0,
        unit: "documents",
      }),
    );
  const chunks = statuses.reduce((total, row) => total + row.chunks, 0);
  const quotaKpis = metrics.map(
    ([metric, figures]): Kpi => ({
      key: `quota.${metric}`,
      label: `${metricFigures[metric].label}: share of the plan`,
      value: percentOf(figures.used, figures.limit),
      unit: "percent",
      limit: 100,
    }),
  );
  const assistantKpis = assistants.map(
    (assistant): Kpi => ({
      key: `assistant.${assistant.assistantId}.messages`,
      label: `Questions to ${assistant.name}`,
      value: assistant.current,
      unit: "messages",
      previous: assistant.previous,
    }),
  );

  return {
    period: usage.period,
    previous_period: before,
    kpis: [
      ...usageKpis,
      ...statusKpis,
      { key: "chunks", label: "Chunks indexed", value: chunks, unit: "chunks" },
      ...quotaKpis,
      ...assistantKpis,
    ],
  };
}
