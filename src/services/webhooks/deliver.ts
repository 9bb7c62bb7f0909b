import type { Deps, TenantContext } from "../../context";
import { nowIso } from "../../lib/time";
import {
  countEndpointFailure,
  disableEndpoint,
  findDeliverableEndpoint,
  markEndpointReachable,
  settleDeliveryAttempt,
  startDeliveryAttempt,
} from "../../storage/repositories/webhooks.repo";
import { openSecret } from "./secret-box";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";
import type { WebhookDeliveryMessage } from "./webhook-delivery-message";

/** A delivery gives up after this many attempts, which the delays below spread over about 19 hours. */
export const MAX_DELIVERY_ATTEMPTS = 8;
/** An endpoint is disabled after this many failed attempts in a row, whichever deliveries they were. */
export const MAX_CONSECUTIVE_FAILURES = 20;
/** A receiver must answer within this time. */
export const DELIVERY_TIMEOUT_MS = 10_000;
// The wait before retry n (1-based), in units of WEBHOOK_RETRY_BASE_SECONDS (60 s by default):
// 1 min, 5 min, 15 min, 1 h, 2 h, 4 h, 12 h. A queue message waits at most 12 hours.
const RETRY_STEPS = [1, 5, 15, 60, 120, 240, 720];
const MAX_DELAY_SECONDS = 43_200;

/** The wait before the next attempt, after `attempts` failed ones. */
export function retryDelaySeconds(baseSeconds: number, attempts: number): number {
  const step = RETRY_STEPS[Math.min(attempts, RETRY_STEPS.length) - 1] ?? 1;
  return Math.min(MAX_DELAY_SECONDS, baseSeconds * step);
}

/** What the consumer does with the message: done (ack), or again after a delay. */
export type DeliveryOutcome = { done: true } | { done: false; delaySeconds: number };

interface AttemptResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

async function post(deps: Deps, url: string, secret: string, body: string): Promise<AttemptResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await deps.fetchWebhook(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Ancre-Webhooks/1",
        [SIGNATURE_HEADER]: await signatureHeader(secret, timestamp, body),
      },
      body,
      // A redirect could lead anywhere, a private address included: it counts as a failure.
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300)
      return { ok: true, status: response.status, error: null };
    return { ok: false, status: response.status, error: `The endpoint answered HTTP ${response.status}` };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      ok: false,
      status: null,
      error: timedOut
        ? `The endpoint did not answer within ${DELIVERY_TIMEOUT_MS / 1000} s`
        : `The endpoint could not be reached (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

const hoursBetween = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 360_000) / 10);

/**
 * One attempt at a delivery: signs the event with the endpoint's secret, posts it, records the
 * outcome in the delivery log. A failure is retried with growing delays; a delivery that fails
 * MAX_DELIVERY_ATTEMPTS times, or an endpoint that fails MAX_CONSECUTIVE_FAILURES attempts in a
 * row, disables the endpoint with a sentence saying why. Nothing goes to a deleted endpoint, a
 * disabled one or a tenant being deleted.
 */
export async function attemptDelivery({
  ctx,
  deps,
  input,
}: {
  ctx: Pick<TenantContext, "tenantId">;
  deps: Deps;
  input: WebhookDeliveryMessage;
}): Promise<DeliveryOutcome> {
  const { tenantId } = ctx;
  const endpoint = await findDeliverableEndpoint(deps.db, tenantId, input.endpoint_id);
  if (!endpoint) return { done: true };
  const now = nowIso();
  const delivery = await startDeliveryAttempt(deps.db, {
    id: input.delivery_id,
    tenantId,
    endpointId: endpoint.id,
    eventId: input.event.id,
    eventType: input.event.type,
    status: "pending",
    createdAt: now,
    updatedAt: now,
  });
  if (delivery.status === "delivered" || delivery.status === "failed") return { done: true };
  if (!endpoint.enabled) {
    await settleDeliveryAttempt(deps.db, tenantId, delivery.id, {
      status: "failed",
      lastStatusCode: null,
      lastError: "Not sent: the endpoint is disabled",
      nextAttemptAt: null,
      updatedAt: now,
    });
    return { done: true };
  }

  const secret = await openSecret(deps.config, endpoint.secretCiphertext);
  const result = await post(deps, endpoint.url, secret, JSON.stringify(input.event));
  const settledAt = nowIso();
  if (result.ok) {
    await settleDeliveryAttempt(deps.db, tenantId, delivery.id, {
      status: "delivered",
      lastStatusCode: result.status,
      lastError: null,
      nextAttemptAt: null,
      updatedAt: settledAt,
    });
    await markEndpointReachable(deps.db, tenantId, endpoint.id);
    return { done: true };
  }

  const failures = await countEndpointFailure(deps.db, tenantId, endpoint.id);
  const exhausted = delivery.attempts >= MAX_DELIVERY_ATTEMPTS;
  const delaySeconds = retryDelaySeconds(deps.config.webhooks.retryBaseSeconds, delivery.attempts);
  await settleDeliveryAttempt(deps.db, tenantId, delivery.id, {
    status: exhausted ? "failed" : "retrying",
    lastStatusCode: result.status,
    lastError: result.error,
    nextAttemptAt: exhausted ? null : new Date(Date.now() + delaySeconds * 1000).toISOString(),
    updatedAt: settledAt,
  });
  if (exhausted || failures >= MAX_CONSECUTIVE_FAILURES) {
    const reason = exhausted
      ? `Disabled on ${settledAt}: ${delivery.attempts} attempts over ${hoursBetween(delivery.createdAt, settledAt)} h to deliver ${input.event.type} (${input.event.id}) failed; the last: ${result.error}. Fix the endpoint, then re-enable it.`
      : `Disabled on ${settledAt}: ${failures} delivery attempts in a row failed; the last: ${result.error}. Fix the endpoint, then re-enable it.`;
    await disableEndpoint(deps.db, tenantId, endpoint.id, reason, settledAt);
    if (exhausted) return { done: true };
  }
  return { done: false, delaySeconds };
}
