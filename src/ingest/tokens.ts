// cl100k_base is the encoding of OpenAI's embedding models; chunk sizes are measured in it.
// (o200k would also do, but its table alone is over 1 MiB of bundle.)
// Its tables take a large share of a cold isolate's start-up to build, and a search or a document
// poll never counts a token: they are imported on first use. Counting stays synchronous (chunking
// and prompt budgeting count in tight loops), so a path that counts awaits loadTokenCounter first.
import { timeStage } from "../lib/stage-timing";

type Encoding = typeof import("gpt-tokenizer/encoding/cl100k_base");

let encoding: Encoding | undefined;
let loading: Promise<Encoding> | undefined;

/** Loads the token tables once per isolate; await it before countTokens on any path that counts. */
export async function loadTokenCounter(): Promise<void> {
  loading ??= import("gpt-tokenizer/encoding/cl100k_base");
  encoding ??= await loading;
}

// A document or a question may quote a model's control strings ("<|endoftext|>"): they are counted
// as the text they are (the tokenizer refuses them by default).
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens of a text in the cl100k_base encoding (after loadTokenCounter). */
export function countTokens(text: string): number {
  if (!encoding)
    throw new Error("countTokens before loadTokenCounter(): the token tables are loaded on first use");
  const tables = encoding;
  return timeStage("token counting", () => tables.countTokens(text, AS_TEXT));
}
