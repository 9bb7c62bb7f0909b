// The latency model's log line, shared by the Worker (which writes it) and the benchmark (which
// reads it from `wrangler dev`'s output): no runtime types, so both sides compile it.

/** Where a call is made from: the Worker, or an object of a namespace. */
export type Site =
  | "worker"
  | "CONVERSATION"
  | "TENANT_QUOTA"
  | "SEARCH_SHARD"
  | "QUOTA_LEASE"
  | "SEARCH_REPLICA";

/** One modelled binding call. */
export interface ModelledCall {
  site: Site;
  /** `d1.primary`, `d1.replica`, `do.<NAMESPACE>`, `r2`, `queue`, `kv` or `fetch`. */
  binding: string;
  /** The method called (`all`, `batch`, `takeRequest`, `put`…) or, for fetch, the host. */
  op: string;
  delayMs: number;
  startMs: number;
  endMs: number;
}

const LOG_PREFIX = "ancre-latency ";

/** The line the model logs for a call. */
export const modelledCallLine = (call: ModelledCall) => LOG_PREFIX + JSON.stringify(call);

/** Parses a line logged by the model, or undefined for any other line. */
export function parseModelledCall(line: string): ModelledCall | undefined {
  const at = line.indexOf(LOG_PREFIX);
  if (at < 0) return undefined;
  try {
    return JSON.parse(line.slice(at + LOG_PREFIX.length)) as ModelledCall;
  } catch {
    return undefined;
  }
}
