import type { Config } from "../../config";
import { OpenAiPageTranscriber } from "./openai";
import type { PageTranscriber } from "./types";

export type * from "./types";

/** The page transcriber (OCR) the Config names, or undefined when no vision model is configured. */
export function createPageTranscriber(config: Config): PageTranscriber | undefined {
  const { vision } = config;
  if (!vision) return undefined;
  return new OpenAiPageTranscriber({
    apiKey: config.openai.apiKey,
    baseUrl: config.openai.baseUrl,
    model: vision.model,
    timeoutMs: vision.timeoutMs,
  });
}
