import { analyzeText } from "./analyzer";
import type { Language } from "./language";
import { STOPWORDS, stem, tokenize } from "./words";

const isTerm = (word: string) => word.length >= 2 || /\d/.test(word);

/**
 * Content terms of a text: words without stop words, stemmed, accent-folded. In a known language
 * other than English, with that language's stop words and Snowball stemmer, so that French
 * function words ("les", "cet") weigh nothing and "évaluée" meets "évaluation". English (and text
 * of no known language) keeps the long English stop list and light stemmer the extractive answerer
 * was tuned and benchmarked with: Porter and Snowball's short list lose answers it finds.
 */
export function contentTerms(text: string, language?: Language): Set<string> {
  if (language && language !== "en") return new Set(analyzeText(text, language).filter(isTerm));
  const terms = new Set<string>();
  for (const word of tokenize(text)) {
    if (STOPWORDS.has(word) || !isTerm(word)) continue;
    // "retire" and "retiring" stem to "retire" and "retir": a final e never tells words apart here.
    terms.add(stem(word).replace(/e$/, ""));
  }
  return terms;
}
