import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { sleep } from "../helpers/text.ts";
import { type FakeServer, sendJson, startFakeServer } from "./http-server.ts";

const CHUNK_DELAY_MS = 40;
const SLOW_CHUNK_DELAY_MS = 300;
const SLOW_CHUNKS = 10;
const MIDSTREAM_CHUNKS_BEFORE_BREAK = 3;

const requestsByModel = new Map<string, number>();
const rateLimitedPrompts = new Set<string>();

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

function openAiError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
) {
  sendJson(res, status, { error: { message, type, param: null, code } });
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const end = /[.!?](?=\s|$)/.exec(flat);
  return end ? flat.slice(0, end.index + 1) : flat;
}

/** The numbered sources found in the messages, as `[n] (header) text` blocks. */
function findSources(messages: ChatRequest["messages"]): Map<number, string> {
  const sources = new Map<number, string>();
  for (const message of messages) {
    if (message.role === "assistant") continue;
    for (const block of message.content.split(/\n\n(?=\[\d+\] )/)) {
      const match = /^\[(\d+)\] (?:\([^)\n]*\) )?([\s\S]+)$/.exec(block.trim());
      if (match) sources.set(Number(match[1]), match[2]!);
    }
  }
  return sources;
}

/** Rewrites "Follow-up question: how tall is he?" by naming what earlier user turns named. */
function rewriteFollowUp(prompt: string): string | undefined {
  const followUp = /Follow-up question: (.*)$/s.exec(prompt)?.[1]?.trim();
  if (!followUp) return undefined;
  const userLines = [...prompt.matchAll(/^User: (.*)$/gm)].map((m) => m[1]!);
  const names = userLines.flatMap((line) => line.match(/(?<=\s)[A-Z][\p{L}'-]+/gu) ?? []);
  return names.length > 0 ? `${followUp} (${[...new Set(names)].join(" ")})` : followUp;
}

function answerFor(request: ChatRequest): string {
  const sources = findSources(request.messages);
  const lastUser = [...request.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  if (sources.size === 0) return rewriteFollowUp(lastUser) ?? "I don't know.";
  const parts: string[] = [];
  for (const n of [1, 2]) {
    const text = sources.get(n);
    if (text) parts.push(`${firstSentence(text)} [${n}]`);
  }
  if (request.model === "fake-bad-marker") parts.push("This is also covered elsewhere [7].");
  return parts.join(" ");
}

function usageOf(request: ChatRequest, answer: string) {
  // OpenAI's accounting: 3 tokens of framing per message, 3 to prime the reply.
  const prompt_tokens = request.messages.reduce((sum, m) => sum + 3 + countTokens(m.content), 3);
  const completion_tokens = countTokens(answer);
  return {
    prompt_tokens,
    completion_tokens,
    total_tokens: prompt_tokens + completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

/** Splits text into `count` pieces (or pieces of about three words), keeping every character. */
function pieces(text: string, count?: number): string[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  const groups = count ?? Math.ceil(words.length / 3);
  const out: string[] = [];
  for (let i = 0; i < groups; i++) {
    const piece = words.slice(
      Math.floor((i * words.length) / groups),
      Math.floor(((i + 1) * words.length) / groups),
    );
    if (piece.length > 0) out.push(piece.join(""));
  }
  return out;
}

async function streamAnswer(req: IncomingMessage, res: ServerResponse, request: ChatRequest, answer: string) {
  const id = `chatcmpl-${createHash("sha1").update(answer).digest("hex").slice(0, 24)}`;
  const created = Math.floor(Date.now() / 1000);
  const includeUsage = request.stream_options?.include_usage === true && request.model !== "fake-no-usage";
  const chunk = (choices: unknown[], usage?: unknown) =>
    `data: ${JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created,
      model: request.model,
      system_fingerprint: "fp_fake",
      choices,
      ...(includeUsage ? { usage: usage ?? null } : {}),
    })}\n\n`;
  const delta = (content: Record<string, unknown>, finish_reason: string | null = null) =>
    chunk([{ index: 0, delta: content, logprobs: null, finish_reason }]);

  let closed = false;
  res.on("close", () => {
    closed = true;
  });
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "x-request-id": id });
  res.write(delta({ role: "assistant", content: "", refusal: null }));

  const slow = request.model === "fake-slow";
  // "fake-instant" streams without pauses: the latency benchmark measures Ancre, not the model.
  const pause = request.model === "fake-instant" ? 0 : slow ? SLOW_CHUNK_DELAY_MS : CHUNK_DELAY_MS;
  const parts = pieces(answer, slow ? SLOW_CHUNKS : undefined);
  for (const [i, part] of parts.entries()) {
    if (pause > 0) await sleep(pause);
    if (closed) return;
    if (request.model === "fake-midstream-error" && i === MIDSTREAM_CHUNKS_BEFORE_BREAK) {
      req.socket.destroy();
      return;
    }
    if (request.model === "fake-stall" && i === 2) return; // leaves the response open, silent
    res.write(delta({ content: part }));
  }
  res.write(delta({}, "stop"));
  if (includeUsage) res.write(chunk([], usageOf(request, answer)));
  res.end("data: [DONE]\n\n");
}

/**
 * A local stand-in for OpenAI's `POST /v1/chat/completions`, streamed (`chat.completion.chunk`
 * SSE ending with `data: [DONE]`, plus a usage chunk when `stream_options.include_usage`) or not
 * (`chat.completion`). Its answer is derived from the request: the first sentence of source [1]
 * followed by " [1]", then of source [2] with " [2]" when there is one. Without numbered sources it
 * answers a rewrite prompt's "Follow-up question: X" with X plus the capitalised names of the
 * earlier user turns ("X (Iwan Roberts)"), and anything else with "I don't know.". The requested
 * model picks a behaviour, so that test files running at once do not interfere:
 *
 * - `fake-slow`: 10 content chunks, 300 ms apart.
 * - `fake-500`: HTTP 500 with OpenAI's error body.
 * - `fake-429-once`: HTTP 429 (`retry-after-ms: 50`) on the first call for a given prompt, then normal.
 * - `fake-timeout`: accepts the request and never answers.
 * - `fake-stall`: sends two content chunks, then nothing, never closing.
 * - `fake-bad-marker`: the answer also cites a source `[7]` that does not exist.
 * - `fake-midstream-error`: sends three content chunks, then destroys the socket.
 * - `fake-no-usage`: ignores `include_usage`, as some compatible servers do.
 * - any other model: normal, content chunks of about three words, 40 ms apart.
 *
 * A key containing `bad` gets a 401 whose message repeats the whole key (OpenAI masks most of
 * it): callers must keep it out of their own errors. `GET /__stats` answers
 * `{ chatCompletions: { [model]: requests } }`. Usable inside another fake's handler.
 */
export async function handleChatCompletions(req: IncomingMessage, body: Buffer, res: ServerResponse) {
  const path = new URL(req.url ?? "/", "http://fake").pathname;
  if (req.method === "GET" && path === "/__stats") {
    return sendJson(res, 200, { chatCompletions: Object.fromEntries(requestsByModel) });
  }
  if (req.method !== "POST" || !/^(\/v1)?\/chat\/completions$/.test(path)) {
    return openAiError(res, 404, `Invalid URL (${req.method} ${path})`, "invalid_request_error", null);
  }

  const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  if (!key) {
    return openAiError(res, 401, "You didn't provide an API key.", "invalid_request_error", null);
  }
  if (key.includes("bad")) {
    const message = `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`;
    return openAiError(res, 401, message, "invalid_request_error", "invalid_api_key");
  }

  let request: ChatRequest;
  try {
    request = JSON.parse(body.toString("utf8")) as ChatRequest;
  } catch {
    return openAiError(
      res,
      400,
      "We could not parse the JSON body of your request.",
      "invalid_request_error",
      null,
    );
  }
  if (
    typeof request.model !== "string" ||
    !Array.isArray(request.messages) ||
    request.messages.length === 0
  ) {
    return openAiError(
      res,
      400,
      "'model' and a non-empty 'messages' are required.",
      "invalid_request_error",
      null,
    );
  }
  requestsByModel.set(request.model, (requestsByModel.get(request.model) ?? 0) + 1);

  switch (request.model) {
    case "fake-500":
      return openAiError(
        res,
        500,
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
        null,
      );
    case "fake-429-once": {
      const prompt = createHash("sha256").update(JSON.stringify(request.messages)).digest("hex");
      if (!rateLimitedPrompts.has(prompt)) {
        rateLimitedPrompts.add(prompt);
        res.setHeader("retry-after-ms", "50");
        return openAiError(res, 429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded");
      }
      break;
    }
    case "fake-timeout":
      return; // the request stays open until the client gives up or the server closes
  }

  const answer = answerFor(request);
  if (request.stream) return streamAnswer(req, res, request, answer);
  sendJson(res, 200, {
    id: `chatcmpl-${createHash("sha1").update(answer).digest("hex").slice(0, 24)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    system_fingerprint: "fp_fake",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: usageOf(request, answer),
  });
}

/** Starts the chat fake alone; its base URL (with `/v1`) is what OPENAI_BASE_URL would hold. */
export async function startOpenAiChatFake(): Promise<{ baseUrl: string; server: FakeServer }> {
  const server = await startFakeServer(handleChatCompletions);
  return { baseUrl: `${server.url}/v1`, server };
}
