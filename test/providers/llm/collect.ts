import type { GenerationEvent, Usage } from "../../../src/providers/llm/types";

export interface Collected {
  text: string;
  deltas: { text: string; at: number }[];
  done: { finishReason: string; usage: Usage; model: string } | undefined;
}

/** Reads a generation to the end, noting when each delta arrived (ms since the call). */
export async function collect(stream: AsyncIterable<GenerationEvent>): Promise<Collected> {
  const started = performance.now();
  const collected: Collected = { text: "", deltas: [], done: undefined };
  for await (const event of stream) {
    if (event.type === "delta") {
      collected.text += event.text;
      collected.deltas.push({ text: event.text, at: performance.now() - started });
    } else {
      collected.done = event;
    }
  }
  return collected;
}

/** The error a generation throws, with the deltas that came before it. */
export async function collectFailure(
  stream: AsyncIterable<GenerationEvent>,
): Promise<{ error: unknown; deltas: number; ms: number }> {
  const started = performance.now();
  let deltas = 0;
  try {
    for await (const event of stream) if (event.type === "delta") deltas++;
  } catch (error) {
    return { error, deltas, ms: performance.now() - started };
  }
  throw new Error("the generation did not fail");
}
