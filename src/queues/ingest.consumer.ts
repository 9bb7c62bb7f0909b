import type { Deps } from "../context";
import { ParseError } from "../ingest/parse";
import { base64ToBytes } from "../lib/base64";
import { log } from "../lib/log";
import { isTransientProviderError, ProviderError } from "../providers/errors";
import { finishUpload } from "../services/documents/documents.service";
import { DeliveryCalls } from "../services/ingestion/delivery-calls";
import { failDocumentIngestion, ingestDocumentBatch } from "../services/ingestion/ingestion.service";
import { documentSizes } from "../storage/repositories/documents.repo";
import { type IngestMessage, IngestMessageSchema } from "./messages";

/** Attempts before a transient failure becomes the document's `failed` status (wrangler.toml allows 5 deliveries). */
export const MAX_INGEST_ATTEMPTS = 5;

/** Exponential backoff with full jitter: about 5 s, 10 s, 20 s, 40 s… capped at 5 minutes. */
export function retryDelaySeconds(attempt: number): number {
  const ceiling = Math.min(300, 5 * 2 ** (attempt - 1));
  return Math.max(1, Math.round(ceiling / 2 + (Math.random() * ceiling) / 2));
}

function describe(error: unknown): string {
  if (isTransientProviderError(error) && error instanceof Error) return error.message;
  return "an internal error";
}

/** The ingestion job a message names: its tenant as the job's context, its batch as the input. */
function ingestionJob(message: IngestMessage) {
  return {
    ctx: { tenantId: message.tenant_id },
    input: {
      documentId: message.document_id,
      generation: message.generation,
      batch: message.batch,
      firstPage: message.first_page,
      content: messageBytes(message),
    },
  };
}

/** The file's bytes the message carries, if any (unreadable ones are left: the file is read from R2). */
function messageBytes(message: IngestMessage): Uint8Array | undefined {
  if (message.content === undefined) return undefined;
  try {
    return base64ToBytes(message.content);
  } catch {
    return undefined;
  }
}

/**
 * A document this small is ingested beside the batch's other small ones: its message holds little
 * memory (its file, its text and a few chunks) and its time is mostly round trips to D1, R2, the
 * search shard and the quota object, which overlap. Larger files (a batch of PDF pages, an Office
 * package) take most of an isolate's 128 MB and run one at a time.
 */
export const LIGHT_DOCUMENT_BYTES = 256 * 1024;

/**
 * Consumes ingestion messages: the small documents' messages side by side, their embedder, shard
 * and vector calls gathered into one per delivery (DeliveryCalls), then the others one by one (see
 * LIGHT_DOCUMENT_BYTES; an upload's message says its size, other documents' sizes are read in one
 * query per tenant). Bodies are validated; permanent failures (the file's fault) fail the document
 * at once; transient ones retry with backoff, then fail it.
 */
export async function consumeIngestBatch(batch: MessageBatch<unknown>, deps: Deps): Promise<void> {
  const jobs: { message: Message<unknown>; body: IngestMessage }[] = [];
  for (const message of batch.messages) {
    const parsed = IngestMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      log("error", "queue_message", { ...logLine(batch.queue, message), outcome: "dropped_invalid" });
      message.ack();
      continue;
    }
    jobs.push({ message, body: parsed.data });
  }
  const light = await lightDocuments(
    deps,
    jobs.map((job) => job.body),
  );
  const isLight = (job: (typeof jobs)[number]) => light.has(`${job.body.tenant_id}/${job.body.document_id}`);
  const consume = (job: (typeof jobs)[number], jobDeps: Deps) =>
    consumeIngestMessage(batch.queue, job.message, job.body, jobDeps);
  // The small documents share their embedder call, shard insert and vector upsert (DeliveryCalls).
  const lightJobs = jobs.filter(isLight);
  const shared = new DeliveryCalls(lightJobs.length, deps);
  const sharedDeps = shared.depsOf(deps);
  await Promise.all(lightJobs.map((job) => consume(job, sharedDeps).finally(() => shared.leave())));
  for (const job of jobs.filter((job) => !isLight(job))) await consume(job, deps);
}

/**
 * `tenant/document` of the messages whose document is at most LIGHT_DOCUMENT_BYTES: an upload's
 * first message says its size; the others' sizes are read, in one query per tenant.
 */
async function lightDocuments(deps: Deps, bodies: IngestMessage[]): Promise<Set<string>> {
  if (bodies.length < 2) return new Set();
  const light = new Set<string>();
  const byTenant = new Map<string, IngestMessage[]>();
  for (const body of bodies) {
    if (body.upload) {
      if (body.upload.size_bytes <= LIGHT_DOCUMENT_BYTES) light.add(`${body.tenant_id}/${body.document_id}`);
    } else byTenant.set(body.tenant_id, [...(byTenant.get(body.tenant_id) ?? []), body]);
  }
  await Promise.all(
    [...byTenant].map(async ([tenantId, tenantBodies]) => {
      const ids = [...new Set(tenantBodies.map((body) => body.document_id))];
      for (const row of await documentSizes(deps.db, tenantId, ids)) {
        if (row.sizeBytes <= LIGHT_DOCUMENT_BYTES) light.add(`${tenantId}/${row.id}`);
      }
    }),
  );
  return light;
}

/** The fields of a queue message's log line. */
const logLine = (queue: string, message: Message<unknown>) => ({
  queue,
  message_id: message.id,
  kind: "ingest",
  attempt: message.attempts,
});

/** One ingestion message: run, then acked, retried or its document failed; one log line and data point. */
async function consumeIngestMessage(
  queue: string,
  message: Message<unknown>,
  body: IngestMessage,
  deps: Deps,
) {
  const { ctx, input } = ingestionJob(body);
  const start = Date.now();
  const fields = {
    ...logLine(queue, message),
    tenant_id: ctx.tenantId,
    document_id: input.documentId,
    batch: input.batch,
    first_page: input.firstPage,
  };
  const done = (outcome: string, pages: number, error?: unknown, errorCode?: string) => {
    const durationMs = Date.now() - start;
    const level = error === undefined ? "info" : outcome === "retry" ? "warn" : "error";
    log(level, "queue_message", { ...fields, outcome, pages, duration_ms: durationMs }, error);
    deps.metrics.record({ type: "ingest", tenantId: ctx.tenantId, pages, durationMs, errorCode });
  };
  try {
    // An upload's first message finishes the upload, should its request not have (idempotent).
    const finishUpload = body.upload && (() => finishUploadOf(body, deps));
    const pages = await ingestDocumentBatch({ ctx, deps, input: { ...input, finishUpload } });
    message.ack();
    done("ack", pages);
  } catch (error) {
    if (error instanceof ParseError) {
      await failDocumentIngestion({
        ctx,
        deps,
        input: { ...input, reason: error.message, code: error.reason },
      });
      message.ack();
      done("failed", 0, error, "parse_error");
    } else if (error instanceof ProviderError && !error.transient) {
      const failure = { reason: error.message, code: "model_failed" as const };
      await failDocumentIngestion({ ctx, deps, input: { ...input, ...failure } });
      message.ack();
      done("failed", 0, error, "provider_error");
    } else if (message.attempts >= MAX_INGEST_ATTEMPTS) {
      const reason = `ingestion failed after ${message.attempts} attempts because of ${describe(error)}; try reindexing later`;
      await failDocumentIngestion({ ctx, deps, input: { ...input, reason, code: "ingestion_abandoned" } });
      message.ack();
      done("failed", 0, error, "attempts_exhausted");
    } else {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      done("retry", 0, error);
    }
  }
}

/** Finishes the upload an ingestion message starts (see finishUpload), in its caller's region. */
function finishUploadOf(body: IngestMessage, deps: Deps) {
  const upload = body.upload!;
  return finishUpload({
    ctx: { tenantId: body.tenant_id, region: upload.region },
    deps,
    input: {
      documentId: body.document_id,
      reservationId: upload.reservation_id,
      sizeBytes: upload.size_bytes,
    },
  });
}

/** Whatever reaches the dead-letter queue has exhausted its retries: its document is marked failed. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, deps: Deps): Promise<void> {
  for (const message of batch.messages) {
    const parsed = IngestMessageSchema.safeParse(message.body);
    if (parsed.success) {
      const { ctx, input } = ingestionJob(parsed.data);
      const reason = "ingestion failed repeatedly and was abandoned; try reindexing later";
      await failDocumentIngestion({ ctx, deps, input: { ...input, reason, code: "ingestion_abandoned" } });
    }
    message.ack();
  }
}
