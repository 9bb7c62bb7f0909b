import type { AnswerState } from "./answer-stream";

const KEY = "ancre.playground.streaming";

/** What a reload needs to resume an answer: kept in this tab's sessionStorage while it streams. */
export interface StreamingAnswer {
  assistantId: string;
  question: string;
  answer: AnswerState & { conversationId: string };
}

export function saveStreaming(value: StreamingAnswer | null): void {
  try {
    if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage full or refused (private mode): a reload then shows the answer from the history.
  }
}

export function loadStreaming(): StreamingAnswer | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as StreamingAnswer) : null;
  } catch {
    return null;
  }
}
