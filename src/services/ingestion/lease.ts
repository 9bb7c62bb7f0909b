/**
 * How long an ingestion is presumed alive after its last sign of life (a batch taken or landed).
 * Longer than a batch takes and than the queue's longest retry delay (5 minutes), so that the
 * sweeper only touches documents whose message is really gone.
 */
export const INGESTION_LEASE_SECONDS = 15 * 60;

/** The lease that a sign of life at `now` grants. */
export function leaseUntil(now: Date): string {
  return new Date(now.getTime() + INGESTION_LEASE_SECONDS * 1000).toISOString();
}
