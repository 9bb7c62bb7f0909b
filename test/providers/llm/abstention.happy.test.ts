// The signals that tell a sentence that says what is asked from one that only talks about it:
// each on hand-written passages, alone and through the extractive selection.
import { describe, expect, it } from "vitest";
import { STOPWORDS } from "../../../src/lib/text/words";
import {
  foundByBoth,
  isNegated,
  missingNames,
  negationMismatch,
} from "../../../src/providers/llm/abstention";
import { type SelectionOptions, selectSentences } from "../../../src/providers/llm/extractive";
import type { Source } from "../../../src/providers/llm/types";

const sources = (...texts: string[]): Source[] => texts.map((text, i) => ({ index: i + 1, text }));
const answers = (question: string, texts: string[] | Source[], options: SelectionOptions) =>
  selectSentences(
    question,
    typeof texts[0] === "string" ? sources(...(texts as string[])) : (texts as Source[]),
    "en",
    { minCoverage: 0.4, answerTypes: true, ...options },
  ).map((sentence) => sentence.text);

describe("abstention signals", () => {
  it("negation: a question about what did not happen is not answered by what did", () => {
    expect(isNegated("The ferry didn't sail on Sundays.")).toBe(true);
    expect(isNegated("The ferry sailed on Sundays.")).toBe(false);
    const question = "Which harbour did the ferry not serve in winter?";
    expect(negationMismatch(question, "In winter the ferry served the harbour of Brest.")).toBe(true);
    expect(negationMismatch(question, "In winter the ferry did not serve the harbour of Morlaix.")).toBe(
      false,
    );
    // A negated sentence may answer a plain question.
    expect(
      negationMismatch("Which harbour stayed open in winter?", "No harbour but Brest stayed open."),
    ).toBe(false);
    const text = ["In winter the ferry served the harbour of Brest and the isle of Ouessant."];
    expect(answers(question, text, { negation: false })).toHaveLength(1);
    expect(answers(question, text, { negation: true })).toEqual([]);
    // The answerer's default: on.
    expect(selectSentences(question, sources(...text), "en")).toEqual([]);
    expect(answers("Which harbour did the ferry serve in winter?", text, { negation: true })).toHaveLength(1);
  });

  it("names: a question whose name or year the passage never says is about something else", () => {
    const ignored = new Set([...STOPWORDS, "who", "when", "what"]);
    const sentence = "Saint Bénézet built the bridge of Avignon in 1185.";
    expect(missingNames("When did Saint Bénézet build the bridge of Avignon?", sentence, ignored)).toEqual(
      [],
    );
    expect(missingNames("Who built the bridge of Avignon in 1177?", sentence, ignored)).toEqual(["1177"]);
    expect(missingNames("What did Saint Louis build in Avignon?", sentence, ignored)).toEqual(["Louis"]);
    // A number keeps what it is glued to; an acronym is held when the text spells it out.
    expect(
      missingNames("Who ruled in the 12th century?", "In the 12th century the popes ruled.", ignored),
    ).toEqual([]);
    expect(
      missingNames("Who ruled in the 12th century?", "In the 13th century the popes ruled.", ignored),
    ).toEqual(["12th"]);
    expect(
      missingNames("Where is the NYC stock exchange?", "New York City has a stock exchange.", ignored),
    ).toEqual([]);
    expect(
      missingNames("Where is the NYC stock exchange?", "New Jersey has a stock exchange.", ignored),
    ).toEqual(["NYC"]);
    // A capitalised question word or preposition names nothing.
    expect(missingNames("In which town did Saint Bénézet build a bridge?", sentence, ignored)).toEqual([]);

    const text = ["Saint Bénézet built the bridge of Avignon in 1185, with the help of the townspeople."];
    const swapped = "Who built the bridge of Avignon in 1177?";
    expect(answers(swapped, text, { names: undefined })).toHaveLength(1);
    expect(answers(swapped, text, { names: "sentence" })).toEqual([]);
    expect(answers(swapped, text, { names: "source" })).toEqual([]);
    // Each part of a compound question holds its own names: the other part's are quoted elsewhere.
    const compound = "When was the bridge of Avignon built and who painted the Mona Lisa?";
    const twoSources = [
      "Saint Bénézet built the bridge of Avignon in 1185.",
      "Leonardo da Vinci painted the Mona Lisa in Florence.",
    ];
    expect(answers(compound, twoSources, { names: "source" })).toEqual(twoSources);
    // German capitalises every noun: only its numbers are names.
    const german = ["Die Brücken von Avignon wurden 1185 gebaut."];
    const inGerman = (question: string) =>
      selectSentences(question, sources(...german), "de").map((sentence) => sentence.text);
    expect(inGerman("Wann wurde die Brücke von Avignon gebaut?")).toEqual(german);
    expect(inGerman("Wer hat 1177 die Brücke von Avignon gebaut?")).toEqual([]);
    // The answerer's default: names in the source.
    expect(selectSentences(swapped, sources(...text), "en")).toEqual([]);
    expect(answers("Who built the bridge of Avignon in 1185?", text, { names: "sentence" })).toHaveLength(1);
    // "source" accepts a name said in another sentence of the passage quoted from.
    const passage = [
      "Saint Bénézet was a shepherd of the Vivarais. The bridge of Avignon was built by the shepherd in 1185.",
    ];
    const asked = "When was the bridge of Avignon built by Saint Bénézet?";
    expect(answers(asked, passage, { names: "sentence" })).toEqual([]);
    expect(answers(asked, passage, { names: "source" })[0]).toBe(
      "The bridge of Avignon was built by the shepherd in 1185.",
    );
  });

  it("agreement: a passage that only one ranking found must cover more of the question", () => {
    expect(foundByBoth({ keyword: { rank: 1, score: 9 }, vector: { rank: 2, score: 0.8 } }, 2)).toBe(true);
    expect(foundByBoth({ keyword: { rank: 1, score: 9 }, vector: { rank: 3, score: 0.8 } }, 2)).toBe(false);
    expect(foundByBoth({ keyword: { rank: 1, score: 9 } }, 5)).toBe(false);
    // A source that search did not rank (a summary's sentence) is not doubted.
    expect(foundByBoth(undefined, 1)).toBe(true);

    const question = "What colour are the shutters of the mill?";
    const text = "The shutters of the mill are painted blue.";
    const agreement = { maxRank: 2, coverage: 0.8 };
    const byBoth = [
      { index: 1, text, lists: { keyword: { rank: 1, score: 4 }, vector: { rank: 1, score: 0.7 } } },
    ];
    const byOne = [{ index: 1, text, lists: { keyword: { rank: 1, score: 4 } } }];
    expect(answers(question, byOne, {})).toHaveLength(1);
    expect(answers(question, byBoth, { agreement })).toHaveLength(1);
    expect(answers(question, byOne, { agreement })).toEqual([]);
  });
});
