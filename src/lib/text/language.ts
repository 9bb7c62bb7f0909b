import { eld } from "eld/extrasmall";

/** Languages Ancre analyses (stemmer and stop words) and answers in. */
export const SUPPORTED_LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

const SUPPORTED = new Set<string>(SUPPORTED_LANGUAGES);
// Enough to tell a language (eld's cost grows with the text) without paying for a whole book;
// mixed documents are caught chunk by chunk.
const SAMPLE_CHARS = 2000;
const MIN_LETTERS = 3;

export const isLanguage = (value: unknown): value is Language =>
  typeof value === "string" && SUPPORTED.has(value);

/**
 * The language of a text, or undefined when it is too short, the detector is unsure, or the
 * language is not one Ancre supports. eld detects among all its languages (not only ours), so a
 * Swedish question is "sv", hence undefined, rather than forced into German.
 */
export function detectLanguage(text: string): Language | undefined {
  const sample = text.slice(0, SAMPLE_CHARS);
  if ((sample.match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS) return undefined;
  const result = eld.detect(sample);
  return result.isReliable() && isLanguage(result.language) ? result.language : undefined;
}
