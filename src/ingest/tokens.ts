import { countTokens as count } from "gpt-tokenizer/encoding/cl100k_base";

// cl100k_base is the encoding of OpenAI's embedding models; chunk sizes are measured in it.
// (o200k would also do, but its table alone is over 1 MiB of bundle.)

/** Tokens of a text in the cl100k_base encoding. */
export function countTokens(text: string): number {
  return count(text);
}
