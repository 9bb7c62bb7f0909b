import type { Deps } from "../context";
import { ParseError } from "../ingest/parse";
import { log } from "../lib/log";
import { isTransientProviderError, ProviderError } from "../providers/errors";
import { failDocumentIngestion, ingestDocumentBatch } from "../services/ingestion/ingestion.service";
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
    input: { documentId: message.document_id, generation: message.generation, batch: message.batch },
  };
}

/**
 * Consumes ingestion messages one by one. Bodies are validated; permanent failures (the file's
 * fault) fail the document at once; transient ones retry with backoff, then fail it.
 */
export async function consumeIngestBatch(batch: MessageBatch<unknown>, deps: Deps): Promise<void> {
  for (const message of batch.messages) {
    const line = { queue: batch.queue, message_id: message.id, kind: "ingest", attempt: message.attempts };
    const parsed = IngestMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      log("error", "queue_message", { ...line, outcome: "dropped_invalid" });
      message.ack();
      continue;
    }
    const { ctx, input } = ingestionJob(parsed.data);
    const start = Date.now();
    const fields = { ...line, tenant_id: ctx.tenantId, document_id: input.documentId, batch: input.batch };
    const done = (outcome: string, pages: number, error?: unknown, errorCode?: string) => {
      const durationMs = Date.now() - start;
      const level = error === undefined ? "info" : outcome === "retry" ? "warn" : "error";
      log(level, "queue_message", { ...fields, outcome, pages, duration_ms: durationMs }, error);
      deps.metrics.record({ type: "ingest", tenantId: ctx.tenantId, pages, durationMs, errorCode });
    };
    try {
      const pages = await ingestDocumentBatch({ ctx, deps, input });
      message.ack();
      done("ack", pages);
    } catch (error) {
      const permanent = error instanceof ParseError || (error instanceof ProviderError && !error.transient);
      if (permanent) {
        await failDocumentIngestion({ ctx, deps, input: { ...input, reason: error.message } });
        message.ack();
        done("failed", 0, error, error instanceof ParseError ? "parse_error" : "provider_error");
      } else if (message.attempts >= MAX_INGEST_ATTEMPTS) {
        const reason = `ingestion failed after ${message.attempts} attempts because of ${describe(error)}; try reindexing later`;
        await failDocumentIngestion({ ctx, deps, input: { ...input, reason } });
        message.ack();
        done("failed", 0, error, "attempts_exhausted");
      } else {
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
        done("retry", 0, error);
      }
    }
  }
}

/** Whatever reaches the dead-letter queue has exhausted its retries: its document is marked failed. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, deps: Deps): Promise<void> {
  for (const message of batch.messages) {
    const parsed = IngestMessageSchema.safeParse(message.body);
    if (parsed.success) {
      const { ctx, input } = ingestionJob(parsed.data);
      const reason = "ingestion failed repeatedly and was abandoned; try reindexing later";
      await failDocumentIngestion({ ctx, deps, input: { ...input, reason } });
    }
    message.ack();
  }
}
