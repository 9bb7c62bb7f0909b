/** One Server-Sent Event: its `id:`, its `event:` name and its `data:` lines joined. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Reads an SSE body as it arrives and calls `onMessage` for each complete event. Comments
 * (": ping") are skipped; frames may be split anywhere across chunks, lines end in \n or \r\n.
 */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onMessage: (message: SseMessage) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
    buffer = buffer.replace(/\r\n?/g, "\n");
    let boundary = buffer.indexOf("\n\n");
    while (boundary !== -1) {
      const message = parseFrame(buffer.slice(0, boundary));
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf("\n\n");
      if (message) onMessage(message);
    }
    if (done) return;
  }
}

function parseFrame(frame: string): SseMessage | undefined {
  const message: SseMessage = { id: null, event: "message", data: "" };
  const data: string[] = [];
  for (const line of frame.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") data.push(value);
    else if (field === "event") message.event = value;
    else if (field === "id") message.id = value;
  }
  if (data.length === 0) return undefined;
  message.data = data.join("\n");
  return message;
}
