import { STOPWORDS, stem, tokenize } from "./words";

/** Content terms of a text: lowercased words without stop words, lightly stemmed. */
export function contentTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const word of tokenize(text)) {
    if (STOPWORDS.has(word) || (word.length < 2 && !/\d/.test(word))) continue;
    // "retire" and "retiring" stem to "retire" and "retir": a final e never tells words apart here.
    terms.add(stem(word).replace(/e$/, ""));
  }
  return terms;
}
