// cl100k_base is the encoding of OpenAI's embedding models; chunk sizes are measured in it.
// (o200k would also do, but its table alone is over 1 MiB of bundle.)
// Its tables take a large share of a cold isolate's start-up to build, and a search or a document
// poll never counts a token: they are imported on first use. Counting stays synchronous (chunking
// and prompt budgeting count in tight loops), so a path that counts awaits loadTokenCounter first.
import { lazyModule } from "../lib/lazy-module";
import { timeStage } from "../lib/stage-timing";

/** cl100k_base's tables, for whatever counts or splits in its tokens (the OpenAI embedder too). */
export const cl100k = lazyModule("The token tables", () => import("gpt-tokenizer/encoding/cl100k_base"));

/** Loads the token tables once per isolate; await it before countTokens on any path that counts. */
export async function loadTokenCounter(): Promise<void> {
  await cl100k.load();
}

/**
 * A document, a question or an embedding input may quote a model's control strings
 * ("<|endoftext|>"): they are encoded as the text they are (the tokenizer refuses them by default).
 */
export const SPECIALS_AS_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens of a text in the cl100k_base encoding (after loadTokenCounter). */
export function countTokens(text: string): number {
  const tables = cl100k.loaded();
  return timeStage("token counting", () => tables.countTokens(text, SPECIALS_AS_TEXT));
}
