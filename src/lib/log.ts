/**
 * Structured logs: one JSON object per line, which Workers Logs indexes field by field. Every
 * entry point (a request, a queue message, an alarm, a cron run) writes one line when it ends;
 * errors add their stack once. Lines carry ids, figures and codes, never a message's text, a key,
 * a token or an e-mail address: callers pass only such fields, and `redact` is the safety net for
 * what an error's message or stack could quote.
 */

export type LogValue = string | number | boolean | null | undefined;
export type LogFields = Record<string, LogValue>;
export type LogLevel = "info" | "warn" | "error";

// What must never reach a log even when an error quotes it.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(ak|pk|wk|sk|rk|whsec)_[A-Za-z0-9_-]{8,}/g, "$1_[redacted]"],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [redacted]"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?/g, "[redacted-jwt]"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[redacted-email]"],
];

/** The text with keys, bearer tokens, JWTs and e-mail addresses replaced. */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** An error as log fields: its name, its message and (once, here) its stack. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      error_name: error.name,
      error_code: typeof code === "string" ? code : undefined,
      error_message: error.message,
      error_stack: error.stack,
    };
  }
  return { error_name: typeof error, error_message: String(error) };
}

/**
 * Writes one log line: `{ level, event, ...fields }` (and the error's fields if one is given) as
 * JSON, through console.log, console.warn or console.error by level.
 */
export function log(level: LogLevel, event: string, fields: LogFields = {}, error?: unknown): void {
  const entry: Record<string, LogValue> = { level, event, at: new Date().toISOString() };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) entry[key] = value;
  if (error !== undefined) {
    for (const [key, value] of Object.entries(errorFields(error)))
      if (value !== undefined) entry[key] = value;
  }
  const line = redact(JSON.stringify(entry));
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** Milliseconds since `start` (a `Date.now()`), for durations. */
export const since = (start: number): number => Date.now() - start;

/**
 * Runs the work of an entry point (a queue message, an alarm, a cron run) and writes its one line:
 * `fields`, what the work adds to them, its duration and `outcome` (`ok` or `error`, with the
 * error's stack). The error is thrown again for the runtime to retry.
 */
export async function logged<T>(
  event: string,
  fields: LogFields,
  work: (add: (more: LogFields) => void) => Promise<T>,
): Promise<T> {
  const start = Date.now();
  const added: LogFields = {};
  const add = (more: LogFields) => Object.assign(added, more);
  try {
    const result = await work(add);
    log("info", event, { ...fields, ...added, outcome: "ok", duration_ms: since(start) });
    return result;
  } catch (error) {
    log("error", event, { ...fields, ...added, outcome: "error", duration_ms: since(start) }, error);
    throw error;
  }
}
