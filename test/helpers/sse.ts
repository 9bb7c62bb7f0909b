/** One Server-Sent Event as a client sees it, with when it arrived. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: any;
  receivedAt: number;
}

/**
 * Reads an SSE body incrementally, as EventSource would. `onEvent` may return "stop" to cancel
 * the stream (a client closing its connection). Comments (": ping") are counted, not returned.
 */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onEvent?: (event: SseEvent, all: SseEvent[]) => "stop" | undefined,
): Promise<{ events: SseEvent[]; comments: string[] }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf("\n\n");
    while (boundary !== -1) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf("\n\n");
      const lines = frame.split("\n");
      if (lines.every((line) => line.startsWith(":"))) {
        comments.push(...lines);
        continue;
      }
      const field = (name: string) =>
        lines
          .find((line) => line.startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trimStart() ?? null;
      const event: SseEvent = {
        id: field("id"),
        event: field("event") ?? "message",
        data: JSON.parse(field("data") ?? "null"),
        receivedAt: Date.now(),
      };
      events.push(event);
      if (onEvent?.(event, events) === "stop") {
        await reader.cancel();
        return { events, comments };
      }
    }
  }
  return { events, comments };
}

/** The answer text carried by a list of events. */
export const joinDeltas = (events: SseEvent[]) =>
  events
    .filter((e) => e.event === "delta")
    .map((e) => e.data.text as string)
    .join("");
