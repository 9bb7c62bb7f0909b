import { describe, expect, it } from "vitest";
import { applyAnswerEvent, startingAnswer } from "./answer-stream";
import { readEventStream, type SseFrame } from "./event-stream";

/** A body that delivers `chunks` one read at a time, as a network does. */
function bodyOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function framesOf(chunks: string[]): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  for await (const frame of readEventStream(bodyOf(chunks))) frames.push(frame);
  return frames;
}

describe("readEventStream", () => {
  it("reads events split anywhere across chunks, skipping pings", async () => {
    const stream =
      'id: 1\nevent: meta\ndata: {"conversation_id":"cnv_1"}\n\n: ping\n\nid: 2\nevent: delta\ndata: {"text":"Bon"}\n\n';
    const chunks = stream.match(/[\s\S]{1,7}/g) ?? [];
    expect(await framesOf(chunks)).toEqual([
      { id: "1", event: "meta", data: '{"conversation_id":"cnv_1"}' },
      { id: "2", event: "delta", data: '{"text":"Bon"}' },
    ]);
  });

  it("accepts CRLF and CR line ends, joins data lines, and keeps the last id", async () => {
    expect(await framesOf(["id: 7\r\ndata: a\r", "\ndata: b\r\n\r\n", "data: c\r\r"])).toEqual([
      { id: "7", event: "message", data: "a\nb" },
      { id: "7", event: "message", data: "c" },
    ]);
  });

  it("drops an event the stream cut before its blank line", async () => {
    expect(await framesOf(['event: delta\ndata: {"text":"a"}\n\nevent: delta\ndata: {"te'])).toHaveLength(1);
  });
});

describe("applyAnswerEvent", () => {
  const frame = (id: string, event: string, data: unknown): SseFrame => ({
    id,
    event,
    data: JSON.stringify(data),
  });
  const citation = {
    index: 1,
    document_id: "doc_1",
    filename: "tracemonkey.pdf",
    page: 3,
    section: null,
    excerpt: "Trace trees",
    score: 0.9,
    chunk_id: "chk_1",
  };

  it("builds the answer from meta, deltas, citations and done, remembering the last event id", () => {
    const events = [
      frame("1", "meta", { conversation_id: "cnv_1", message_id: "msg_1" }),
      frame("2", "citations", { citations: [citation] }),
      frame("3", "delta", { text: "Traces are compiled " }),
      frame("4", "delta", { text: "[1]." }),
      frame("5", "done", { citations: [citation], message_id: "msg_1", finish_reason: "stop" }),
    ];
    const states: ReturnType<typeof startingAnswer>[] = [];
    for (const event of events) states.push(applyAnswerEvent(states.at(-1) ?? startingAnswer(), event));
    expect(states[3]).toMatchObject({
      text: "Traces are compiled [1].",
      status: "streaming",
      lastEventId: "4",
    });
    expect(states[4]).toMatchObject({
      conversationId: "cnv_1",
      messageId: "msg_1",
      status: "complete",
      citations: [citation],
      lastEventId: "5",
    });
  });

  it("turns an error event into a failed answer carrying the problem", () => {
    const problem = { status: 429, code: "quota_exceeded", detail: "Monthly chat messages used up" };
    const state = applyAnswerEvent(startingAnswer("cnv_1"), frame("9", "error", problem));
    expect(state).toMatchObject({ status: "failed", problem, conversationId: "cnv_1" });
  });
});
