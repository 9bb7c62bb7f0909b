import type { TFunction } from "i18next";
import { ApiError } from "./client";

/** What the console says about a failure: a sentence, and what to do next when there is something. */
export interface ProblemMessage {
  sentence: string;
  /** The way out, when there is one the user can take (upgrade, sign in again…). */
  hint?: string;
  /** Shown with an Upgrade link to the Billing page. */
  upgrade?: boolean;
}

type Metric = keyof ReturnType<typeof metricKeys>;
const metricKeys = () =>
  ({
    documents: "metrics.documents",
    storage_bytes: "metrics.storage_bytes",
    chat_messages: "metrics.chat_messages",
    ingested_pages: "metrics.ingested_pages",
    llm_tokens: "metrics.llm_tokens",
    assistants: "metrics.assistants",
    collections: "metrics.collections",
    requests_per_minute: "metrics.requests_per_minute",
  }) as const;

/** "12 MB" in the user's language. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit: units[unit],
    unitDisplay: "short",
    maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
  }).format(value);
}

const extra = (error: ApiError, name: string): unknown =>
  (error.problem as Record<string, unknown> | null)?.[name];
const numberOf = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

function limitText(metric: string, limit: number, locale: string): string {
  return metric === "storage_bytes"
    ? formatBytes(limit, locale)
    : new Intl.NumberFormat(locale).format(limit);
}

/**
 * Turns any failure into a translated sentence. The API's problem details are in English for
 * developers; the console shows its own sentence for the codes it knows and falls back on the
 * API's detail for the others.
 */
export function describeProblem(error: unknown, t: TFunction, locale: string): ProblemMessage {
  if (!(error instanceof ApiError)) return { sentence: t("problems.network") };
  if (error.status === 0) return { sentence: t("problems.network") };
  const problem = error.problem;
  const code = problem?.code;
  const metricName = (metric: unknown) =>
    typeof metric === "string" && metric in metricKeys()
      ? t(metricKeys()[metric as Metric])
      : String(metric ?? "");

  switch (code) {
    case "rate_limited": {
      const seconds = numberOf(extra(error, "retry_after")) ?? error.retryAfterSeconds;
      return {
        sentence: seconds ? t("problems.rateLimited", { seconds }) : t("problems.rateLimitedSoon"),
      };
    }
    case "quota_exceeded": {
      const metric = extra(error, "metric");
      const limit = numberOf(extra(error, "limit")) ?? 0;
      const plan = String(extra(error, "plan") ?? "free");
      const resetsAt = extra(error, "resets_at");
      const values = { metric: metricName(metric), limit: limitText(String(metric), limit, locale), plan };
      const sentence =
        typeof resetsAt === "string"
          ? t("problems.quotaFlow", {
              ...values,
              resetsAt: new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(resetsAt)),
            })
          : t("problems.quotaResource", values);
      return plan === "free" ? { sentence, hint: t("problems.upgrade"), upgrade: true } : { sentence };
    }
    case "plan_limit_reached": {
      const metric = extra(error, "metric");
      const limit = numberOf(extra(error, "limit"));
      const plan = String(extra(error, "plan") ?? "free");
      if (limit === undefined) return { sentence: problem?.detail ?? t("problems.forbidden") };
      const sentence = t("problems.planLimit", {
        metric: metricName(metric),
        limit: limitText(String(metric), limit, locale),
        plan,
      });
      return plan === "free" ? { sentence, hint: t("problems.upgrade"), upgrade: true } : { sentence };
    }
    case "validation_failed": {
      const fields = (problem?.errors ?? []).map((entry) => entry.field.replace(/^(body|query|param)\./, ""));
      return {
        sentence: fields.length
          ? t("problems.validation", { fields: fields.join(", ") })
          : t("problems.validationGeneric"),
      };
    }
    case "payload_too_large": {
      const max = numberOf(extra(error, "max_bytes"));
      return {
        sentence: max
          ? t("problems.payloadTooLarge", { max: formatBytes(max, locale) })
          : t("problems.payloadTooLargeGeneric"),
      };
    }
    case "unauthenticated":
      return { sentence: t("problems.unauthenticated") };
    case "forbidden":
      return { sentence: t("problems.forbidden") };
    case "not_found":
      return { sentence: t("problems.notFound") };
    case "conflict":
      return { sentence: problem?.detail ?? t("problems.conflict") };
    case "gone":
      return { sentence: t("problems.gone") };
    case "unsupported_media_type":
      return { sentence: t("problems.unsupportedMediaType") };
    case "tenant_required":
      return { sentence: t("problems.tenantRequired") };
    case "internal_error":
    case "configuration_invalid":
      return { sentence: t("problems.internal", { requestId: problem?.request_id ?? "?" }) };
    case "upstream_error":
      return { sentence: t("problems.upstream") };
    case "not_configured":
      return { sentence: t("problems.notConfigured") };
    case "service_unavailable":
      return { sentence: t("problems.unavailable") };
    default:
      return { sentence: problem?.detail ?? t("problems.unknown", { status: error.status }) };
  }
}
