/** One Server-Sent Event: its `id:` (null when it has none), `event:` name and `data:` text. */
export interface SseFrame {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Parses a text/event-stream body as EventSource does (LF, CRLF or CR line ends, several `data:`
 * lines joined by newlines, comments skipped), yielding each event as it completes.
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let frame = emptyFrame();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A lone CR at the end may be the first half of a CRLF: keep it for the next chunk.
      const lines = buffer.split(done ? /\r\n|\n|\r/ : /\r\n|\n|\r(?!$)/);
      buffer = done ? "" : (lines.pop() ?? "");
      for (const line of lines) {
        if (line === "") {
          if (frame.data !== null) yield { id: frame.id, event: frame.event || "message", data: frame.data };
          frame = { ...emptyFrame(), id: frame.id };
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "data") frame.data = frame.data === null ? value : `${frame.data}\n${value}`;
        else if (field === "event") frame.event = value;
        else if (field === "id" && !value.includes("\0")) frame.id = value;
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

function emptyFrame(): { id: string | null; event: string; data: string | null } {
  return { id: null, event: "", data: null };
}
