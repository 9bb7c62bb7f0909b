import { describe, expect, it } from "vitest";
import { readSse, type SseMessage } from "../../widget/sse";

/** A body that delivers `chunks` one read at a time, as a slow network would. */
const bodyOf = (chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

const read = async (chunks: string[]) => {
  const messages: SseMessage[] = [];
  await readSse(bodyOf(chunks), (message) => messages.push(message));
  return messages;
};

describe("the widget's SSE reader", () => {
  it("reads events split anywhere across chunks, with their ids", async () => {
    const messages = await read([
      'id: 1\nevent: meta\ndata: {"conversation_id":"cnv_1"}\n',
      "\nid: 2\nevent: del",
      'ta\ndata: {"text":"Bon',
      'jour"}\n\n',
    ]);
    expect(messages).toEqual([
      { id: "1", event: "meta", data: '{"conversation_id":"cnv_1"}' },
      { id: "2", event: "delta", data: '{"text":"Bonjour"}' },
    ]);
  });

  it("skips ping comments, joins multi-line data and accepts CRLF line ends", async () => {
    const messages = await read([": ping\n\n", "event: delta\r\ndata: a\r\ndata: b\r\n\r\n", ": ping\n\n"]);
    expect(messages).toEqual([{ id: null, event: "delta", data: "a\nb" }]);
  });

  it("splits a multi-byte character cut between two chunks without corrupting it", async () => {
    const bytes = new TextEncoder().encode('data: {"text":"é"}\n\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    const messages: SseMessage[] = [];
    await readSse(body, (message) => messages.push(message));
    expect(JSON.parse(messages[0]!.data).text).toBe("é");
  });
});
