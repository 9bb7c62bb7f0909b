import type { Usage } from "../llm/types";

/** A page's picture, PNG-encoded. */
export interface PagePicture {
  png: Uint8Array;
  width: number;
  height: number;
}

/** What a vision model read on a page, and what the call used. */
export interface PageTranscription {
  /** Plain text in reading order; empty when the picture holds none. */
  text: string;
  usage: Usage;
}

/**
 * Reads the text of page pictures (OCR). Upstream failures are thrown as ProviderError
 * (`transient` when the same call may succeed later).
 */
export interface PageTranscriber {
  readonly provider: "openai";
  readonly model: string;
  /** The most tokens one page may use (picture, instruction and answer), reserved before the call. */
  readonly tokensPerPageCeiling: number;
  transcribe(picture: PagePicture, signal?: AbortSignal): Promise<PageTranscription>;
}
