// Signals that tell a sentence that says what the question asks from one that only talks about
// it, for the extractive answerer's refusals (docs/performance.md, "Default answers"). Pure and
// lexical: no model, no I/O. Each is measured on its own in the answers benchmark's replay.

import { tokenize } from "../../lib/text/words";
import type { HitLists } from "../../storage/search-shard/search-shard.interface";

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

// Pairs of opposite words (English): a question written by swapping one for the other reuses
// every other word of the sentence.
const OPPOSITES: [string, string][] = [
  ["first", "last"],
  ["before", "after"],
  ["earliest", "latest"],
  ["early", "late"],
  ["largest", "smallest"],
  ["biggest", "smallest"],
  ["larger", "smaller"],
  ["highest", "lowest"],
  ["higher", "lower"],
  ["longest", "shortest"],
  ["longer", "shorter"],
  ["oldest", "youngest"],
  ["oldest", "newest"],
  ["older", "younger"],
  ["most", "least"],
  ["more", "less"],
  ["more", "fewer"],
  ["maximum", "minimum"],
  ["best", "worst"],
  ["better", "worse"],
  ["increase", "decrease"],
  ["increased", "decreased"],
  ["rise", "fall"],
  ["rose", "fell"],
  ["gain", "loss"],
  ["won", "lost"],
  ["win", "lose"],
  ["accepted", "rejected"],
  ["allowed", "forbidden"],
  ["major", "minor"],
  ["north", "south"],
  ["northern", "southern"],
  ["east", "west"],
  ["eastern", "western"],
  ["upper", "lower"],
  ["top", "bottom"],
  ["above", "below"],
  ["inside", "outside"],
  ["internal", "external"],
  ["public", "private"],
  ["ancient", "modern"],
  ["male", "female"],
  ["strong", "weak"],
  ["success", "failure"],
  ["successful", "unsuccessful"],
  ["positive", "negative"],
  ["same", "different"],
  ["beginning", "end"],
  ["start", "end"],
  ["born", "died"],
  ["true", "false"],
];
const OPPOSITE_OF = new Map<string, Set<string>>();
for (const [a, b] of OPPOSITES) {
  for (const [word, other] of [
    [a, b],
    [b, a],
  ] as const) {
    OPPOSITE_OF.set(word, (OPPOSITE_OF.get(word) ?? new Set()).add(other));
  }
}

/**
 * A word of the question whose opposite the sentence says instead ("the first" asked, "the last"
 * written), if any: the sentence then answers another question.
 */
export function oppositeSwap(question: string, sentence: string): string | undefined {
  const said = new Set(tokenize(sentence));
  return tokenize(question).find(
    (word) => !said.has(word) && [...(OPPOSITE_OF.get(word) ?? [])].some((other) => said.has(other)),
  );
}

// A capitalised word inside the question (not its first word), or a number: what names the thing
// asked about. The question's first word is capitalised whatever it is.
const NAME_OR_NUMBER = /(?<=\S\s+)\p{Lu}[\p{L}\p{M}'’.-]*|\p{N}+(?:[.,]\p{N}+)*/gu;

/**
 * The names and numbers of the question that the text does not hold: SQuAD-style unanswerable
 * questions often swap one entity (a person, a year) for another the text never mentions.
 * Tokens in `ignored` (stop words, question words: "In", "What" when capitalised) name nothing.
 */
export function missingNames(question: string, text: string, ignored: ReadonlySet<string>): string[] {
  const held = new Set(tokenize(text));
  return (question.match(NAME_OR_NUMBER) ?? []).filter((name) =>
    tokenize(name).some((token) => !ignored.has(token) && !held.has(token)),
  );
}

/** Whether both ranked lists of the search found the source within their first `maxRank`. */
export function foundByBoth(lists: HitLists | undefined, maxRank: number): boolean {
  // A source that does not come from a search (a summary's, a title page's) is trusted.
  if (!lists) return true;
  return (lists.keyword?.rank ?? Infinity) <= maxRank && (lists.vector?.rank ?? Infinity) <= maxRank;
}

// Where a sentence's clauses part: punctuation, and the conjunctions and relative pronouns that
// open a new statement.
const CLAUSE_SEPARATOR =
  /\s*[,;:()–—]\s*|\s+(?:and|but|while|whereas|which|who|although|though|because|et|mais|qui|und|aber|y|pero)\s+/iu;

/** The clauses of a sentence, as plain strings. */
export function sentenceClauses(sentence: string): string[] {
  return sentence.split(CLAUSE_SEPARATOR).filter((clause) => clause.trim() !== "");
}
