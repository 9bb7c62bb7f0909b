import { countTokens, loadTokenCounter } from "../../ingest/tokens";
import {
  createOpenAiClient,
  type OpenAiClient,
  reportedUsage,
  toOpenAiProviderError,
} from "../openai-client";
import type { PagePicture, PageTranscriber, PageTranscription } from "./types";

// The page is read by a background job: a couple of retries of a 429 or 5xx before the batch
// itself is retried by the queue.
const MAX_RETRIES = 2;

const INSTRUCTION =
  "Transcribe all the text of this page image, in reading order, as plain text. " +
  "Keep paragraphs apart with a blank line. Do not describe the image, add no commentary, " +
  "and do not use Markdown. If the page holds no text, answer with nothing.";

/** A dense page of text is about 1,300 tokens: this leaves room for small print and tables. */
const MAX_OUTPUT_TOKENS = 4096;
/**
 * What a page picture of at most 2048 pixels a side costs in the prompt: 765 tokens with the
 * tile-priced models (gpt-4o: 85 + 170 × 4 tiles), at most 1536 patches × 1.62 with the
 * patch-priced ones (gpt-4.1-mini); the ceiling covers both, the estimate the common case.
 */
const PICTURE_TOKENS_CEILING = 2_500;
const PICTURE_TOKENS_ESTIMATE = 765;
const FRAMING_TOKENS = 10;

export interface OpenAiPageTranscriberOptions {
  apiKey?: string;
  baseUrl?: string;
  /** A vision-capable chat model: gpt-4o-mini, gpt-4.1-mini, or a compatible server's (qwen2.5-vl…). */
  model: string;
  timeoutMs: number;
}

/** Reads page pictures with an OpenAI-compatible Chat Completions API (an `image_url` data URL). */
export class OpenAiPageTranscriber implements PageTranscriber {
  readonly provider = "openai" as const;
  readonly model: string;
  // A getter: the token tables are loaded on first use (ingestion loads them before it reserves).
  get tokensPerPageCeiling(): number {
    return PICTURE_TOKENS_CEILING + countTokens(INSTRUCTION) + FRAMING_TOKENS + MAX_OUTPUT_TOKENS;
  }
  readonly #openai: OpenAiClient;
  readonly #apiKey: string | undefined;

  constructor(options: OpenAiPageTranscriberOptions) {
    this.model = options.model;
    this.#apiKey = options.apiKey;
    this.#openai = createOpenAiClient({ ...options, maxRetries: MAX_RETRIES });
  }

  async transcribe(picture: PagePicture, signal?: AbortSignal): Promise<PageTranscription> {
    await loadTokenCounter();
    try {
      const client = await this.#openai.client();
      const completion = await client.chat.completions.create(
        {
          model: this.model,
          temperature: 0,
          [this.#openai.maxTokensParam]: MAX_OUTPUT_TOKENS,
          messages: [
            {
              role: "user",
              content: [
                { type: "text", text: INSTRUCTION },
                { type: "image_url", image_url: { url: pngDataUrl(picture.png), detail: "high" } },
              ],
            },
          ],
        },
        { signal },
      );
      const text = completion.choices[0]?.message?.content?.trim() ?? "";
      if (completion.usage) return { text, usage: reportedUsage(completion.usage) };
      const promptTokens = PICTURE_TOKENS_ESTIMATE + countTokens(INSTRUCTION) + FRAMING_TOKENS;
      const completionTokens = countTokens(text);
      return {
        text,
        usage: {
          promptTokens,
          completionTokens,
          totalTokens: promptTokens + completionTokens,
          estimated: true,
        },
      };
    } catch (error) {
      throw toOpenAiProviderError(error, this.#apiKey, "the page transcription");
    }
  }
}

/** `data:image/png;base64,…`; built in slices, as spreading megabytes into one call overflows the stack. */
function pngDataUrl(png: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < png.length; i += 0x8000) {
    binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  }
  return `data:image/png;base64,${btoa(binary)}`;
}
