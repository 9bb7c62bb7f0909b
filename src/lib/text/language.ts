// eld's n-gram model is imported on first use rather than at every isolate's start-up (a document
// poll or an upload never detects a language); detection stays synchronous, so a path that detects
// awaits loadLanguageDetector first.
import { lazyModule } from "../lazy-module";

const eld = lazyModule("The language detector", () => import("eld/extrasmall"));

/** Loads the language detector's model once per isolate; await it before detectLanguage. */
export async function loadLanguageDetector(): Promise<void> {
  await eld.load();
}

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
 * Swedish question is "sv", hence undefined, rather than forced into German. After loadLanguageDetector.
 */
export function detectLanguage(text: string): Language | undefined {
  const detector = eld.loaded().eld;
  const sample = text.slice(0, SAMPLE_CHARS);
  if ((sample.match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS) return undefined;
  const result = detector.detect(sample);
  return result.isReliable() && isLanguage(result.language) ? result.language : undefined;
}
