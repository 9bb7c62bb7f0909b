import type { TFunction } from "i18next";
import { ApiError, type Problem } from "./client";

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

/**
 * "12 MB" / "12 Mo" in the user's language; below a kilobyte the unit is spelt out ("0 bytes",
 * "1 byte", "0 octet"), as Intl has no short symbol for a byte in every language.
 */
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
    unitDisplay: unit === 0 ? "long" : "short",
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

type Code = Problem["code"];

/**
 * The sentence of every code the API answers with (src/errors.ts): a code without one fails to
 * compile, and web/src/i18n/i18n.test.ts checks the list against the API's own.
 */
export const problemCodeKeys = {
  bad_request: "problems.badRequest",
  validation_failed: "problems.validationGeneric",
  malformed_json: "problems.badRequest",
  tenant_required: "problems.tenantRequired",
  unauthenticated: "problems.unauthenticated",
  forbidden: "problems.forbidden",
  plan_limit_reached: "problems.planLimitGeneric",
  widget_key_invalid: "problems.widgetKeyInvalid",
  widget_disabled: "problems.widgetDisabled",
  widget_origin_missing: "problems.widgetOriginMissing",
  widget_origin_not_allowed: "problems.widgetOriginNotAllowed",
  not_found: "problems.notFound",
  route_not_found: "problems.routeNotFound",
  method_not_allowed: "problems.routeNotFound",
  conflict: "problems.conflict",
  gone: "problems.gone",
  payload_too_large: "problems.payloadTooLargeGeneric",
  unsupported_media_type: "problems.unsupportedMediaType",
  file_type_mismatch: "problems.fileTypeMismatchGeneric",
  quota_exceeded: "problems.quotaGeneric",
  rate_limited: "problems.rateLimitedSoon",
  internal_error: "problems.internal",
  configuration_invalid: "problems.configurationInvalid",
  upstream_error: "problems.upstream",
  not_configured: "problems.notConfigured",
  service_unavailable: "problems.unavailable",
} as const satisfies Record<Code, string>;

/** Who reads the sentence: owners and admins also get the server's own words about its configuration. */
export interface ProblemAudience {
  admin?: boolean;
  /** false: the server takes no payments, so no upgrade is suggested. */
  billing?: boolean;
}

/** What the server may say a file really is (`detected_type`), as `detectedTypes` in src/ingest/detect-format.ts. */
export const detectedFileTypes = [
  "pdf",
  "docx",
  "pptx",
  "office_document",
  "legacy_office",
  "zip",
  "archive",
  "executable",
  "image",
  "audio_video",
  "html",
  "text",
  "unknown",
] as const;
const formats = ["pdf", "docx", "pptx", "html", "md", "txt"] as const;
const oneOf = <T extends string>(list: readonly T[], value: unknown): T | undefined =>
  list.includes(value as T) ? (value as T) : undefined;

/** "Free" / "Gratuite": a plan's name from the glossary, whatever the API calls it. */
export function planName(plan: unknown, t: TFunction): string {
  return plan === "free" || plan === "pro" ? t(`billing.plans.${plan}`) : String(plan ?? "");
}

/**
 * Turns any failure into a translated sentence. The API's problem details are in English for
 * developers; the console says every code in its own words (problemCodeKeys), with the values the
 * problem carries, and falls back on the API's detail only for a code newer than itself.
 */
export function describeProblem(
  error: unknown,
  t: TFunction,
  locale: string,
  audience: ProblemAudience = {},
): ProblemMessage {
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
      const limit = numberOf(extra(error, "limit"));
      if (limit === undefined) return { sentence: t("problems.quotaGeneric") };
      const plan = String(extra(error, "plan") ?? "free");
      const resetsAt = extra(error, "resets_at");
      const values = {
        metric: metricName(metric),
        limit: limitText(String(metric), limit, locale),
        plan: planName(plan, t),
      };
      const sentence =
        typeof resetsAt === "string"
          ? t("problems.quotaFlow", {
              ...values,
              resetsAt: new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(resetsAt)),
            })
          : t("problems.quotaResource", values);
      return plan === "free" && audience.billing !== false
        ? { sentence, hint: t("problems.upgrade"), upgrade: true }
        : { sentence };
    }
    case "plan_limit_reached": {
      const metric = extra(error, "metric");
      const limit = numberOf(extra(error, "limit"));
      const plan = String(extra(error, "plan") ?? "free");
      if (limit === undefined) return { sentence: t("problems.planLimitGeneric") };
      const sentence = t("problems.planLimit", {
        metric: metricName(metric),
        limit: limitText(String(metric), limit, locale),
        plan: planName(plan, t),
      });
      return plan === "free" && audience.billing !== false
        ? { sentence, hint: t("problems.upgrade"), upgrade: true }
        : { sentence };
    }
    case "validation_failed": {
      const fields = (problem?.errors ?? []).map((entry) =>
        entry.field.replace(/^(body|query|param|json|form)\./, ""),
      );
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
    case "file_type_mismatch": {
      const declared = oneOf(formats, extra(error, "declared_format"));
      const detected = oneOf(detectedFileTypes, extra(error, "detected_type"));
      if (!declared || !detected) return { sentence: t("problems.fileTypeMismatchGeneric") };
      return {
        sentence: t("problems.fileTypeMismatch", {
          format: t(`fileTypes.${declared}`),
          detected: t(`fileTypes.${detected}`),
        }),
        hint: t("problems.fileTypeMismatchHint", { extension: declared }),
      };
    }
    case "internal_error":
      return { sentence: t("problems.internal", { requestId: problem?.request_id ?? "?" }) };
    case "configuration_invalid":
    case "not_configured":
      // The server's detail names its settings (STRIPE_*, VISION_MODEL…): for those who can set them.
      return audience.admin && problem?.detail
        ? { sentence: t(problemCodeKeys[code]), hint: t("problems.serverSays", { detail: problem.detail }) }
        : { sentence: t(problemCodeKeys[code]) };
    case undefined:
      return { sentence: t("problems.unknown", { status: error.status }) };
    default:
      if (code in problemCodeKeys) return { sentence: t(problemCodeKeys[code]) };
      return { sentence: problem?.detail ?? t("problems.unknown", { status: error.status }) };
  }
}
