import { ApiError, apiErrorFrom, authHeaders, type Schemas } from "@/api/client";
import { readEventStream, type SseFrame } from "./event-stream";

export type Citation = Schemas["Citation"];
export type AnswerMode = Schemas["AnswerMode"];

/** An answer as it streams in: what the playground draws, and what a reload needs to resume it. */
export interface AnswerState {
  conversationId: string | null;
  messageId: string | null;
  text: string;
  citations: Citation[];
  status: "streaming" | "complete" | "failed" | "stopped";
  /** How the answer was made, once done. */
  answerMode: AnswerMode | null;
  /** The refusal carried by an `error` event, as the API's problem. */
  problem: Schemas["Problem"] | null;
  /** The id of the last event applied: sent as Last-Event-ID to resume after a reload. */
  lastEventId: string | null;
}

export const startingAnswer = (conversationId: string | null = null): AnswerState => ({
  conversationId,
  messageId: null,
  text: "",
  citations: [],
  status: "streaming",
  answerMode: null,
  problem: null,
  lastEventId: null,
});

/** Folds one event of the chat stream (`meta`, `citations`, `delta`, `done`, `error`) into the answer. */
export function applyAnswerEvent(state: AnswerState, frame: SseFrame): AnswerState {
  const next = { ...state, lastEventId: frame.id ?? state.lastEventId };
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(frame.data) as Record<string, unknown>;
  } catch {
    return next;
  }
  switch (frame.event) {
    case "meta":
      return {
        ...next,
        conversationId: String(data.conversation_id ?? state.conversationId),
        messageId: String(data.message_id ?? state.messageId),
      };
    case "citations":
      return { ...next, citations: (data.citations as Citation[] | undefined) ?? state.citations };
    case "delta":
      return { ...next, text: state.text + String(data.text ?? "") };
    case "done":
      return {
        ...next,
        status: "complete",
        citations: (data.citations as Citation[] | undefined) ?? state.citations,
        messageId: typeof data.message_id === "string" ? data.message_id : state.messageId,
        answerMode: (data.answer_mode as AnswerMode | undefined) ?? null,
      };
    case "error":
      return { ...next, status: "failed", problem: data as unknown as Schemas["Problem"] };
    default:
      return next;
  }
}

interface StreamOptions {
  signal: AbortSignal;
  onUpdate: (state: AnswerState) => void;
}

/**
 * Reads a chat event stream into successive answer states. Refusals before the stream opens
 * (quota, rate limit, validation…) are thrown as ApiError; aborting leaves the answer "stopped".
 */
async function follow(response: Response, initial: AnswerState, { signal, onUpdate }: StreamOptions) {
  if (!response.ok || !response.body) throw await apiErrorFrom(response);
  let state = initial;
  try {
    for await (const frame of readEventStream(response.body)) {
      state = applyAnswerEvent(state, frame);
      onUpdate(state);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  if (state.status === "streaming") {
    // The stream ended without `done`: stopped by the user, or the connection dropped (resumable).
    state = { ...state, status: "stopped" };
    onUpdate(state);
  }
  return state;
}

const chatPath = (assistantId: string) => `/api/v1/chat/${encodeURIComponent(assistantId)}`;

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw ApiError.network();
  }
}

/** Asks the assistant and streams its answer (POST /chat/{assistant_id}/stream). */
export async function streamAnswer(
  input: { assistantId: string; message: string; conversationId: string | null },
  options: StreamOptions,
): Promise<AnswerState> {
  const body: Record<string, string> = { message: input.message };
  if (input.conversationId) body.conversation_id = input.conversationId;
  const response = await send(`${chatPath(input.assistantId)}/stream`, {
    method: "POST",
    headers: { ...(await authHeaders()), "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(body),
    signal: options.signal,
  });
  return follow(response, startingAnswer(input.conversationId), options);
}

/**
 * Follows an answer still being generated (GET …/conversations/{id}/stream), replaying only the
 * events after `from.lastEventId` onto what `from` already holds.
 */
export async function resumeAnswer(
  input: { assistantId: string; from: AnswerState & { conversationId: string } },
  options: StreamOptions,
): Promise<AnswerState> {
  const headers: Record<string, string> = { ...(await authHeaders()), Accept: "text/event-stream" };
  if (input.from.lastEventId) headers["Last-Event-ID"] = input.from.lastEventId;
  const url = `${chatPath(input.assistantId)}/conversations/${encodeURIComponent(input.from.conversationId)}/stream`;
  const response = await send(url, { headers, signal: options.signal });
  return follow(response, { ...input.from, status: "streaming" }, options);
}
