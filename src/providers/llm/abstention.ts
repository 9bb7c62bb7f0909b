// Signals that tell a sentence that says what the question asks from one that only talks about
// it, for the extractive answerer's refusals (docs/performance.md, "Default answers"). Pure and
// lexical: no model, no I/O. Each is measured on its own in the answers benchmark's replay;
// those that did not move the trade-off there (the answer in the clause of the question's terms,
// opposite words) were dropped, with their figures in docs/performance.md.

import { tokenize } from "../../lib/text/words";
import type { HitLists } from "../../storage/search-shard/hit-lists";

// Negations of the supported languages, as tokenize writes them ("didn't" is "didn" and "t").
const NEGATIONS = new Set(
  "not no never none nothing nobody neither nor cannot without didn doesn isn wasn weren aren hasn haven hadn won wouldn couldn shouldn ne pas jamais aucun aucune sans nicht nie kein keine keinen ohne nunca ningún ninguna sin non mai nessun senza nem nenhum niet nooit geen zonder".split(
    " ",
  ),
);

/** Whether a text says no (a negation word), in one of the supported languages. */
export function isNegated(text: string): boolean {
  return tokenize(text).some((token) => NEGATIONS.has(token));
}

/**
 * Whether the question asks about what did not happen and the sentence says no such thing: "What
 * did X not win?" against "X won the cup". Opposite claims share their words. (A negated sentence
 * may well answer a plain question: "Which port stayed open?" from "No port but Brest stayed open".)
 */
export function negationMismatch(question: string, sentence: string): boolean {
  return isNegated(question) && !isNegated(sentence);
}

// A capitalised word inside the question (not its first word), or a number with what it is glued
// to ("20th", "1600s"): what names the thing asked about. The question's first word is capitalised
// whatever it is.
const NAME_OR_NUMBER = /(?<=\S\s+)\p{Lu}[\p{L}\p{M}'’.-]*|\p{N}+(?:[.,]\p{N}+)*\p{L}*/gu;
// Runs of capitalised words in a text ("New York City"), whose initials an acronym may stand for.
const CAPITALISED_RUN = /\p{Lu}[\p{L}\p{M}'’-]*(?:\s+(?:of\s+)?\p{Lu}[\p{L}\p{M}'’-]*)*/gu;

/** Whether `word` is an acronym ("NYC") of a run of capitalised words of the text ("New York City"). */
function acronymIn(word: string, text: string): boolean {
  if (!/^\p{Lu}{2,}$/u.test(word)) return false;
  return (text.match(CAPITALISED_RUN) ?? []).some((run) =>
    (run.match(/\p{Lu}(?=[\p{L}\p{M}'’-]*)/gu) ?? []).join("").includes(word),
  );
}

/**
 * The names and numbers of the question that the text does not hold: SQuAD-style unanswerable
 * questions often swap one entity (a person, a year) for another the text never mentions. An
 * acronym counts as held when the text spells it out. Tokens in `ignored` (stop words, question
 * words: "In", "What" when capitalised) name nothing.
 */
export function missingNames(question: string, text: string, ignored: ReadonlySet<string>): string[] {
  const held = new Set(tokenize(text));
  return (question.match(NAME_OR_NUMBER) ?? []).filter(
    (name) =>
      tokenize(name).some((token) => !ignored.has(token) && !held.has(token)) && !acronymIn(name, text),
  );
}

// A name of several capitalised words inside the question ("New Mexico", "The Washington
// Observer", "Presidential Medal of Freedom"), possessive dropped.
// A linking word never joins a name to one that opens with an article ("Alyssa Rosenberg of The
// Washington Post" is two names).
const NAME_RUN =
  /(?<=\S\s+)\p{Lu}[\p{L}\p{M}'’.-]*(?:\s+(?:(?:of|de|du|des|von|van|del)\s+(?!(?:[Tt]he|[Aa]n?|[Ll]a|[Ll]es?|[Dd]er|[Dd]ie|[Dd]as|[Ee]l|[Ll]os|[Ll]as|[Ii]l|[Hh]et)\s))?\p{Lu}[\p{L}\p{M}'’.-]*)+/gu;
const ARTICLES = new Set("the a an la le les der die das el los las il het".split(" "));
const POSSESSIVE = /['’]s?(?!\p{L})/gu;

/**
 * The names of several words of the question that the text does not hold as one run of words:
 * "New Mexico" is not held by a text that says "Mexico" and "New York", nor "North Korea" by one
 * that says "South Korea" and "North America". Runs made only of `ignored` words name nothing.
 */
export function missingNameRuns(question: string, text: string, ignored: ReadonlySet<string>): string[] {
  const held = ` ${tokenize(text.replace(POSSESSIVE, " ")).join(" ")} `;
  return (question.match(NAME_RUN) ?? []).filter((run) => {
    const tokens = tokenize(run.replace(POSSESSIVE, " "));
    // A run that opens with an article or words naming nothing ("The Hague", "In New York") is the
    // run after them, but a word of the stop list before a single name is the name's own: "New
    // Mexico" is not "Mexico".
    while (tokens.length > 0 && ARTICLES.has(tokens[0]!)) tokens.shift();
    while (tokens.length > 2 && ignored.has(tokens[0]!)) tokens.shift();
    if (tokens.length < 2 || tokens.every((token) => ignored.has(token))) return false;
    return !held.includes(` ${tokens.join(" ")} `) && !acronymIn(run, text);
  });
}

// Counts written in words (English: SQuAD's language), "one" aside: it is as often a pronoun.
const NUMBER_WORD =
  /(?<!\p{L})(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundred|thousand|million|billion)(?!\p{L})/giu;
const DIGITS = /\p{N}+(?:[.,]\p{N}+)*\p{L}*/gu;
const ANSWER_COUNT = new RegExp(
  `^(\\s*(?:what|which|name|list)\\s+)(?:${NUMBER_WORD.source}|\\d+)(?!\\p{L})`,
  "iu",
);
const NUMERIC_DATE = /(?<!\p{N})\p{N}{1,2}[/.-]\p{N}{1,2}[/.-](\p{N}{2,4})(?!\p{N})/gu;

const NUMBER_VALUES: Record<string, string> = Object.fromEntries([
  ..."one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
    .split(" ")
    .map((word, i) => [word, String(i + 1)]),
  ..."twenty thirty forty fifty sixty seventy eighty ninety"
    .split(" ")
    .map((word, i) => [word, String(20 + 10 * i)]),
  ["hundred", "100"],
  ["thousand", "1000"],
]);
// "1,000" and "1 000" are "1000": a separator between groups of three figures.
const THOUSANDS_SEPARATOR =
  /(?<=(?<![\p{N}.])\p{N}{1,3}(?:[,\u00a0\u202f]\p{N}{3})*)[,\u00a0\u202f](?=\p{N}{3}(?!\p{N}))/gu;

/** The tokens of a text with its numbers written one way: "1,000" as "1000", "ten" as "10". */
function numberTokens(text: string): string[] {
  return tokenize(text.replace(THOUSANDS_SEPARATOR, "")).map((token) => NUMBER_VALUES[token] ?? token);
}

/**
 * The numbers of the question, in figures or in words ("five minutes", "two hundred"), that the
 * text does not hold, however either writes them ("ten" or "10", "1,000" or "1000"): a count
 * swapped for another is a common way to ask what a passage does not say ("three consecutive
 * films" against "two consecutive"). Counts in words are read in English.
 */
export function missingNumbers(question: string, text: string): string[] {
  const held = new Set(numberTokens(text));
  // "What two factors…" asks for two things: a count right after the question word is the answer's.
  // A date in figures ("2/21/2016") is written otherwise in prose ("21 February 2016"): its year stands for it.
  question = question.replace(ANSWER_COUNT, "$1").replace(NUMERIC_DATE, (_, year: string) => year);
  const asked = [...(question.match(DIGITS) ?? []), ...(question.match(NUMBER_WORD) ?? [])];
  return asked.filter((number) => numberTokens(number).some((token) => !held.has(token)));
}

/** Whether both ranked lists of the search found the source within their first `maxRank`. */
export function foundByBoth(lists: HitLists | undefined, maxRank: number): boolean {
  // A source that does not come from a search (a summary's, a title page's) is trusted.
  if (!lists) return true;
  return (lists.keyword?.rank ?? Infinity) <= maxRank && (lists.vector?.rank ?? Infinity) <= maxRank;
}
