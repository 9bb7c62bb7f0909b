import type { LogFields } from "../../lib/log";
import type { MetricEvent } from "../../providers/metrics/types";
import type { TurnEvent, TurnSpec } from "./conversation.interface";

/**
 * A turn's figures, read off its events as they are emitted: retrieval ends with the citations,
 * the first token is the first delta, tokens and the outcome come with the last event. Nothing of
 * the question or the answer is kept.
 */
export class TurnFigures {
  private retrievalMs?: number;
  private firstTokenMs?: number;
  private tokens?: number;
  private errorCode?: string;

  constructor(
    private readonly spec: TurnSpec,
    private readonly start = Date.now(),
  ) {}

  observe(event: TurnEvent): void {
    const at = Date.now() - this.start;
    if (event.type === "citations") this.retrievalMs ??= at;
    else if (event.type === "delta") this.firstTokenMs ??= at;
    else if (event.type === "done") this.tokens = event.usage.totalTokens;
    else if (event.type === "error") this.errorCode = event.error.code;
  }

  /** The fields of the turn's log line. */
  fields(): LogFields {
    return {
      request_id: this.spec.requestId,
      tenant_id: this.spec.tenantId,
      actor_type: this.spec.actor.type,
      assistant_id: this.spec.assistantId,
      conversation_id: this.spec.conversationId,
      retrieval_ms: this.retrievalMs,
      first_token_ms: this.firstTokenMs,
      tokens: this.tokens,
      error_code: this.errorCode,
    };
  }

  /** The turn's metrics data point. */
  metric(): MetricEvent {
    return {
      type: "chat_turn",
      tenantId: this.spec.tenantId,
      assistantId: this.spec.assistantId,
      durationMs: Date.now() - this.start,
      firstTokenMs: this.firstTokenMs,
      retrievalMs: this.retrievalMs,
      tokens: this.tokens,
      errorCode: this.errorCode,
    };
  }
}
