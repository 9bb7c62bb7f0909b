import { env, exports } from "cloudflare:workers";
import { signCopilotToken } from "../../src/auth/copilot-token";
import type { CopilotEnv } from "../src/env";

export const copilotEnv = env as unknown as CopilotEnv;
// The project's main module is the copilot Worker (bundled): its default export answers fetch.
const worker = exports as unknown as { default: { fetch(request: Request): Promise<Response> } };

/** One AG-UI event of a run's or a connection's server-sent stream. */
export type AgUiEvent = { type: string; [field: string]: unknown };

/** A copilot token, as the API signs it for a signed-in user of `tenantId`. */
export const tokenFor = (tenantId: string, userId = "user_1", secret = copilotEnv.COPILOT_INTERNAL_SECRET!) =>
  signCopilotToken(
    {
      tenantId,
      actor: { type: "user", userId, email: null },
      role: "member",
      expiresAt: Date.now() + 60_000,
    },
    secret,
  );

/** Calls the copilot Worker at `/api/copilotkit<path>`, with a copilot token when one is given. */
export async function copilot(path: string, init: RequestInit = {}, token?: string): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  return worker.default.fetch(new Request(`http://ancre.test/api/copilotkit${path}`, { ...init, headers }));
}

const parseEvents = (text: string): AgUiEvent[] =>
  text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice("data: ".length)));

/** The AG-UI events of a run's server-sent stream. */
export async function eventsOf(response: Response): Promise<AgUiEvent[]> {
  return parseEvents(await response.text());
}

/**
 * Reads a run's stream until an event matches `until`; `rest` then reads it to its end. Lets a test
 * act while the run is still streaming (the model fake sends its answer 40 ms a piece).
 */
export async function readUntil(
  response: Response,
  until: (event: AgUiEvent) => boolean,
): Promise<{ seen: AgUiEvent[]; rest: () => Promise<AgUiEvent[]> }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const seen: AgUiEvent[] = [];
  const take = () => {
    const end = buffer.lastIndexOf("\n\n");
    if (end < 0) return [];
    const events = parseEvents(buffer.slice(0, end));
    buffer = buffer.slice(end + 2);
    return events;
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`The stream ended before the awaited event: ${JSON.stringify(seen)}`);
    buffer += value;
    const events = take();
    seen.push(...events);
    if (events.some(until)) break;
  }
  const rest = async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return [...take(), ...parseEvents(buffer)];
      buffer += value;
    }
  };
  return { seen, rest };
}

/** The body of a run of the default agent on one user message. */
export const runInput = (message: string, threadId = `thread_${crypto.randomUUID()}`) => ({
  threadId,
  runId: `run_${crypto.randomUUID()}`,
  state: {},
  messages: [{ id: `msg_${crypto.randomUUID()}`, role: "user", content: message }],
  tools: [],
  context: [],
  forwardedProps: {},
});

/** Starts a run of the default agent on one user message, as the token's tenant and user. */
export const startRun = (token: string, message: string, threadId?: string) =>
  copilot(
    "/agent/default/run",
    {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(runInput(message, threadId)),
    },
    token,
  );
