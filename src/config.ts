import { z } from "zod";

/** Plan limits for resources a tenant holds. Later issues add flow limits (messages, pages, tokens). */
export interface PlanLimits {
  assistants: number;
}

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const optionalUrl = optionalString.pipe(z.url().optional());

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const rawConfigSchema = z.object({
  ENVIRONMENT: z.enum(["development", "test", "staging", "production"]).default("production"),
  DEV_AUTH_BYPASS: booleanFlag,
  CORS_ALLOWED_ORIGINS: commaList,
  CLERK_JWKS_URL: optionalUrl,
  CLERK_ISSUER: optionalString,
  CLERK_AUTHORIZED_PARTIES: commaList,
  CLERK_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  MAX_ASSISTANTS_PER_TENANT: positiveInt(3),
  PRO_MAX_ASSISTANTS_PER_TENANT: positiveInt(20),
});

export type Config = ReturnType<typeof toConfig>;

function toConfig(raw: z.output<typeof rawConfigSchema>) {
  return {
    environment: raw.ENVIRONMENT,
    version: APP_VERSION,
    devAuthBypass: raw.DEV_AUTH_BYPASS,
    corsAllowedOrigins: raw.CORS_ALLOWED_ORIGINS,
    clerk: raw.CLERK_JWKS_URL
      ? {
          jwksUrl: raw.CLERK_JWKS_URL,
          issuer: raw.CLERK_ISSUER,
          authorizedParties: raw.CLERK_AUTHORIZED_PARTIES,
          clockSkewSeconds: raw.CLERK_CLOCK_SKEW_SECONDS,
        }
      : undefined,
    plans: {
      free: { assistants: raw.MAX_ASSISTANTS_PER_TENANT } satisfies PlanLimits,
      pro: { assistants: raw.PRO_MAX_ASSISTANTS_PER_TENANT } satisfies PlanLimits,
    },
  };
}

export const APP_VERSION = "0.1.0";

/** Raised when vars or secrets are missing, malformed or contradictory. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration: ${issues.join("; ")}`);
    this.name = "ConfigError";
  }
}

/** Parses vars and secrets into a typed Config, or throws one ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, unknown>): Config {
  const parsed = rawConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const raw = parsed.data;
  const problems: string[] = [];
  if (raw.DEV_AUTH_BYPASS && raw.ENVIRONMENT === "production") {
    problems.push(
      "DEV_AUTH_BYPASS: the development auth bypass cannot be enabled when ENVIRONMENT=production",
    );
  }
  if (raw.CLERK_ISSUER && !raw.CLERK_JWKS_URL) {
    problems.push("CLERK_ISSUER: set CLERK_JWKS_URL too, or Clerk tokens cannot be verified");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return toConfig(raw);
}

const cache = new WeakMap<object, Config>();

/** The Config for this env, parsed once per isolate. */
export function configFor(env: object): Config {
  let config = cache.get(env);
  if (!config) {
    config = parseConfig(env as Record<string, unknown>);
    cache.set(env, config);
  }
  return config;
}
