import { AppError } from "../errors";

/**
 * A provider (embeddings, vector store) failed. `transient` says whether the same call may succeed
 * later (rate limit, 5xx, timeout, network) or never will (bad key, bad input, wrong dimension):
 * ingestion retries the first kind and fails the document at once on the second.
 */
export class ProviderError extends AppError {
  /** The provider's HTTP status, when it answered with one. */
  readonly upstreamStatus: number | undefined;

  constructor(
    readonly provider: string,
    readonly transient: boolean,
    message: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super("upstream_error", `${provider}: ${message}`, { provider, transient });
    this.name = "ProviderError";
    this.cause = options.cause;
    this.upstreamStatus = options.status;
  }
}

/** True when `error` is a provider failure worth retrying later. */
export function isTransientProviderError(error: unknown): boolean {
  return error instanceof ProviderError && error.transient;
}

/** HTTP statuses after which the same request may succeed: timeout, conflict, rate limit, server errors. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}
