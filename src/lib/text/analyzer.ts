import { stopwords as dutchStopwords } from "@orama/stopwords/dutch";
import { stopwords as englishStopwords } from "@orama/stopwords/english";
import { stopwords as frenchStopwords } from "@orama/stopwords/french";
import { stopwords as germanStopwords } from "@orama/stopwords/german";
import { stopwords as italianStopwords } from "@orama/stopwords/italian";
import { stopwords as portugueseStopwords } from "@orama/stopwords/portuguese";
import { stopwords as spanishStopwords } from "@orama/stopwords/spanish";
import { lazyModule } from "../lazy-module";
import type { Language } from "./language";

// Snowball's algorithms (English is Porter2: on SciFact it ranks better than SQLite's porter
// tokenizer) and Snowball's stop-word lists, which hold function words only, unlike
// stopwords-iso's, whose English list drops "research", "results" or "system".
const SNOWBALL_NAMES: Record<Language, string> = {
  en: "english",
  fr: "french",
  de: "german",
  es: "spanish",
  it: "italian",
  pt: "portuguese",
  nl: "dutch",
};

const stemmers = new Map<Language, (word: string) => string>();

// Snowball's module holds every language's stemmer (850 KB of code): it is evaluated by the first
// path that stems, not at start-up. Such a path awaits loadStemmers first, as it awaits the language
// detector (language.ts).
const snowball = lazyModule("Snowball's stemmers", () => import("snowball-stemmers"));

/** Loads Snowball's stemmers once per isolate; await it before analyzeText, stemmerFor or contentTerms. */
export async function loadStemmers(): Promise<void> {
  await snowball.load();
}

const STOPWORD_LISTS: Record<Language, string[]> = {
  en: englishStopwords,
  fr: frenchStopwords,
  de: germanStopwords,
  es: spanishStopwords,
  it: italianStopwords,
  pt: portugueseStopwords,
  nl: dutchStopwords,
};

const stopwordSets = new Map<Language, ReadonlySet<string>>();

/** The language's stop words, lowercased with their accents. */
export function stopwordsFor(language: Language): ReadonlySet<string> {
  let set = stopwordSets.get(language);
  if (!set) {
    set = new Set(STOPWORD_LISTS[language].map((word) => word.normalize("NFC")));
    stopwordSets.set(language, set);
  }
  return set;
}

/** The language's Snowball stemmer; it expects a lowercased word with its accents. */
export function stemmerFor(language: Language): (word: string) => string {
  let stem = stemmers.get(language);
  if (!stem) {
    const stemmer = snowball.loaded().newStemmer(SNOWBALL_NAMES[language]);
    stem = (word) => stemmer.stem(word);
    stemmers.set(language, stem);
  }
  return stem;
}

// Words repeat across chunks: stemming each once per isolate is most of the analysis saved.
const STEM_CACHE_LIMIT = 50_000;
const stemCaches = new Map<Language, Map<string, string>>();

function cachedStem(language: Language, word: string): string {
  let cache = stemCaches.get(language);
  if (!cache || cache.size >= STEM_CACHE_LIMIT) {
    cache = new Map();
    stemCaches.set(language, cache);
  }
  let stem = cache.get(word);
  if (stem === undefined) {
    stem = stemmerFor(language)(word);
    cache.set(word, stem);
  }
  return stem;
}

const WORD = /[\p{L}\p{N}]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;

const foldAccents = (word: string) => word.normalize("NFKD").replace(COMBINING_MARKS, "").normalize("NFC");

/** The text's words other than the language's stop words, lowercased, joined by spaces. */
export function withoutStopwords(text: string, language: Language): string {
  const stopwords = stopwordsFor(language);
  const words = text.normalize("NFC").toLowerCase().match(WORD) ?? [];
  return words.filter((word) => !stopwords.has(word)).join(" ");
}

/**
 * The terms a keyword index holds for a text: lowercased words without the language's stop words,
 * stemmed, then stripped of accents (stemmers need the accents: "évaluée" stems to "évalu" but
 * "evaluee" to "evalue"). With no language the words are only lowercased and folded.
 */
export function analyzeText(text: string, language: Language | undefined): string[] {
  const stopwords = language ? stopwordsFor(language) : undefined;
  const terms: string[] = [];
  for (const [word] of text.normalize("NFC").toLowerCase().matchAll(WORD)) {
    if (stopwords?.has(word)) continue;
    terms.push(foldAccents(language && !/\d/.test(word) ? cachedStem(language, word) : word));
  }
  return terms;
}
