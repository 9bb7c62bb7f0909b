import type { Failure } from "./i18n";
import type { ServerWidget } from "./options";
import { readSse, type SseMessage } from "./sse";

/** A source of an answer, as the chat API cites it. */
export interface Citation {
  index: number;
  document_id: string;
  filename: string;
  page: number | null;
  section: string | null;
  excerpt: string;
}

export type Rating = "up" | "down";

/** The visitor's feedback on an answer, as the chat API stores it. */
export interface Feedback {
  rating: Rating;
  comment: string | null;
}

export interface StoredMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  status: "generating" | "complete" | "failed";
  citations: Citation[];
  /** `extractive`: quoted from the documents, no model wrote it. */
  answer_mode?: "extractive" | "model" | "none" | null;
  feedback?: Feedback | null;
}

interface Session {
  token: string;
  expiresAt: number;
  assistantId: string;
}

/** A failed request, carrying what the visitor should be told. */
export class WidgetError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code ?? (failure.network ? "network" : `HTTP ${failure.status}`));
  }
}

async function failureOf(response: Response): Promise<WidgetError> {
  const problem = await response.json().catch(() => ({}));
  const retryAfter = Number(response.headers.get("retry-after"));
  return new WidgetError({
    status: response.status,
    code: typeof problem.code === "string" ? problem.code : undefined,
    resetsAt: typeof problem.resets_at === "string" ? problem.resets_at : null,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  });
}

/** Turns a fetch that could not reach the server into a network failure. */
async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new WidgetError({ network: true });
  }
}

/** The stream's events the widget acts on; `id` is the SSE id to resume after. */
export type TurnEvent = { id: string | null; name: string; data: any };

/**
 * The widget's view of the API: a visitor session minted with the publishable key, then the chat
 * endpoints with its token. An expired token is replaced once, transparently.
 */
export class WidgetApi {
  private session: Session | undefined;
  visitorId: string | null;
  widget: ServerWidget | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
    visitorId: string | null,
  ) {
    this.visitorId = visitorId;
  }

  async start(): Promise<void> {
    const response = await send(`${this.baseUrl}/api/v1/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        this.visitorId ? { key: this.key, visitor_id: this.visitorId } : { key: this.key },
      ),
    });
    if (!response.ok) throw await failureOf(response);
    const body = await response.json();
    this.session = {
      token: body.token,
      expiresAt: Date.parse(body.expires_at),
      assistantId: body.assistant_id,
    };
    this.visitorId = body.visitor_id;
    this.widget = body.widget;
  }

  private async authorized(path: string, init: RequestInit = {}, retried = false): Promise<Response> {
    if (!this.session || this.session.expiresAt - Date.now() < 60_000) await this.start();
    const session = this.session!;
    const response = await send(`${this.baseUrl}/api/v1/chat/${session.assistantId}${path}`, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${session.token}` },
    });
    if (response.status === 401 && !retried) {
      this.session = undefined;
      return this.authorized(path, init, true);
    }
    if (!response.ok) throw await failureOf(response);
    return response;
  }

  async history(conversationId: string): Promise<StoredMessage[]> {
    const response = await this.authorized(`/conversations/${encodeURIComponent(conversationId)}`);
    return (await response.json()).messages;
  }

  /** Gives or changes the visitor's feedback on an answer of its conversation; an absent comment keeps the last one. */
  async rate(
    conversationId: string,
    messageId: string,
    rating: Rating,
    comment?: string | null,
  ): Promise<Feedback> {
    const path = `/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/feedback`;
    const response = await this.authorized(path, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(comment === undefined ? { rating } : { rating, comment }),
    });
    return response.json();
  }

  /** Asks a question; `onEvent` sees every event of the answer as it streams. */
  async ask(
    message: string,
    conversationId: string | null,
    onEvent: (event: TurnEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const response = await this.authorized("/stream", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(conversationId ? { message, conversation_id: conversationId } : { message }),
      signal,
    });
    await readEvents(response, onEvent);
  }

  /** Follows a conversation's current answer, replaying the events after `lastEventId`. */
  async follow(
    conversationId: string,
    lastEventId: string | null,
    onEvent: (event: TurnEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (lastEventId) headers["last-event-id"] = lastEventId;
    const response = await this.authorized(`/conversations/${encodeURIComponent(conversationId)}/stream`, {
      headers,
      signal,
    });
    await readEvents(response, onEvent);
  }
}

async function readEvents(response: Response, onEvent: (event: TurnEvent) => void): Promise<void> {
  if (!response.body) throw new WidgetError({ network: true });
  try {
    await readSse(response.body, (message: SseMessage) => {
      onEvent({ id: message.id, name: message.event, data: JSON.parse(message.data) });
    });
  } catch (error) {
    if (error instanceof SyntaxError || (error as Error).name === "AbortError") throw error;
    // The connection broke mid-answer: the caller resumes from the last event it saw.
    throw new WidgetError({ network: true });
  }
}
