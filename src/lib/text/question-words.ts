// By name: esbuild then bundles these six lists, not the file's sixty languages (200 KB an isolate
// would evaluate at start-up).
import { de, es, fr, it, nl, pt } from "stopwords-iso/stopwords-iso.json";
import type { Language } from "./language";
import { contentTerms } from "./terms";

/** Question words of each language: where a joined question starts, and never its topic. */
export const QUESTION_WORDS: Record<Language, string[]> = {
  en: "what which who whom whose when where why how is are was were do does did can could has have had".split(
    " ",
  ),
  fr: "qui que quoi quel quelle quels quelles où quand comment pourquoi combien est-ce".split(" "),
  de: "wer was wann wo warum wie welche welcher welches welchen".split(" "),
  es: "qué quién quiénes cuándo dónde cómo cuál cuáles cuánto cuántos".split(" "),
  it: "chi cosa quando dove come perché quale quali quanto quanti".split(" "),
  pt: "quem quando onde como qual quais quanto quantos".split(" "),
  nl: "wie wat wanneer waar waarom hoe welke".split(" "),
};

const STOPWORDS_ISO: Record<Exclude<Language, "en">, string[]> = { de, es, fr, it, nl, pt };

const cache = new Map<Language, ReadonlySet<string>>();

/**
 * Terms (as contentTerms writes them) that a question in `language` holds without being about
 * them: its question words and, but in English, stopwords-iso's longer list ("peut", "avoir",
 * "combien"), which the Snowball lists that index documents leave in. English keeps its own long
 * list: stopwords-iso's English one drops topics such as "research", "results" or "system".
 */
export function questionStopTerms(language: Language): ReadonlySet<string> {
  let terms = cache.get(language);
  if (!terms) {
    const words = [...QUESTION_WORDS[language], ...(language === "en" ? [] : STOPWORDS_ISO[language])];
    terms = new Set(words.flatMap((word) => [...contentTerms(word, language)]));
    cache.set(language, terms);
  }
  return terms;
}
