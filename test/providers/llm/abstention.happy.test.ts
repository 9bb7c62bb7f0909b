// The signals that tell a sentence that says what is asked from one that only talks about it:
// each on hand-written passages, alone and through the extractive selection.
import { beforeAll, describe, expect, it } from "vitest";
import { loadStemmers } from "../../../src/lib/text/analyzer";
import { STOPWORDS } from "../../../src/lib/text/words";
import {
  foundByBoth,
  isNegated,
  missingNameRuns,
  missingNames,
  missingNumbers,
  negationMismatch,
} from "../../../src/providers/llm/abstention";
import { type SelectionOptions, selectSentences } from "../../../src/providers/llm/extractive";
import type { Source } from "../../../src/providers/llm/types";

// Snowball's stemmers load on first use; the paths that stem await them, as these tests do.
beforeAll(loadStemmers);

const sources = (...texts: string[]): Source[] => texts.map((text, i) => ({ index: i + 1, text }));
const answers = (question: string, texts: string[] | Source[], options: SelectionOptions) =>
  selectSentences(
    question,
    typeof texts[0] === "string" ? sources(...(texts as string[])) : (texts as Source[]),
    "en",
    { minCoverage: 0.4, answerTypes: true, nameRuns: false, numbers: false, window: undefined, ...options },
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

  it("name runs: a name of several words is held only as those words together", () => {
    const ignored = new Set([...STOPWORDS, "who", "what", "which", "where"]);
    const text = "Spectre opened in South Korea with $7 million. Sales in North America grew.";
    expect(missingNameRuns("How much did Spectre open with in North Korea?", text, ignored)).toEqual([
      "North Korea",
    ]);
    expect(missingNameRuns("How much did Spectre open with in South Korea?", text, ignored)).toEqual([]);
    // Possessives, a linking "of", an acronym spelled out and a question word that opens it.
    const medal =
      "Lee was awarded the Presidential Medal of Freedom; the American Institute of Architects praised her.";
    expect(missingNameRuns("Who was awarded the Presidential Medal of Freedom?", medal, ignored)).toEqual([]);
    expect(missingNameRuns("Why did the American Institute's jury praise her?", medal, ignored)).toEqual([]);
    expect(
      missingNameRuns("What did The Washington Observer say?", "The Washington Post said so.", ignored),
    ).toEqual(["The Washington Observer"]);
    // A word of the stop list is a name's own when the rest is one word: "New Mexico" is not "Mexico".
    expect(
      missingNameRuns("Who flew to New Mexico?", "Craig flew to New York from Mexico.", ignored),
    ).toEqual(["New Mexico"]);
    expect(missingNameRuns("Who flew to New Mexico?", "Craig flew to New Mexico.", ignored)).toEqual([]);
    expect(missingNameRuns("Who flew from The Hague?", "Craig flew from Hague.", ignored)).toEqual([]);

    const sentence = ["Alyssa Rosenberg, writing for The Washington Post, called the film conventional."];
    const swapped = "What did Alyssa Rosenberg of The Washington Observer call the film?";
    // Every word of the swapped name is elsewhere in the passage: the names rule alone lets it through.
    const passage = [`${sentence[0]} The Observer praised the score.`];
    expect(answers(swapped, passage, { names: "source" })).toEqual(sentence);
    expect(answers(swapped, passage, { names: "source", nameRuns: true })).toEqual([]);
    const asked = "What did Alyssa Rosenberg of The Washington Post call the film?";
    expect(answers(asked, passage, { names: "source", nameRuns: true })).toEqual(sentence);
    // The answerer's default: on.
    expect(selectSentences(swapped, sources(...passage), "en")).toEqual([]);
  });

  it("numbers: a count or a figure of the question must be in the sentence quoted", () => {
    expect(
      missingNumbers("Who tells Bond he has five minutes to escape?", "He has three minutes to escape."),
    ).toEqual(["five"]);
    expect(
      missingNumbers("What film has two hundred minutes of music?", "It has one hundred minutes of music."),
    ).toEqual(["two"]);
    expect(missingNumbers("What rating out of 70 did it get?", "It has a rating of 60 out of 100.")).toEqual([
      "70",
    ]);
    // "What two factors…" asks for two things; a date in figures is held by its year.
    expect(
      missingNumbers("What two factors intensify prejudice?", "Gender and class intensify prejudice."),
    ).toEqual([]);
    expect(
      missingNumbers(
        "How much had it made by 2/21/2016?",
        "As of 21 February 2016 it had grossed $879 million.",
      ),
    ).toEqual([]);

    // A number written otherwise is the same number: "1,000" and "1000", "ten" and "10".
    expect(
      missingNumbers("Which town had 1000 houses by 1700?", "By 1700 the town had 1,000 houses."),
    ).toEqual([]);
    expect(
      missingNumbers("Who scored 10 goals in 1,200 minutes?", "He scored ten goals in 1200 minutes."),
    ).toEqual([]);
    expect(missingNumbers("Who scored ten goals?", "He scored 10 goals.")).toEqual([]);
    expect(
      missingNumbers("Which town had 1000 houses?", "The town had 1,500 houses and 1,000 sheep."),
    ).toEqual([]);
    expect(missingNumbers("Which town had 2,000 houses?", "The town had 1,000 houses in 1712.")).toEqual([
      "2,000",
    ]);

    const sentence = ["Mendes said the final film would have more than one hundred minutes of music."];
    const swapped = "Which film has more than two hundred minutes of music?";
    expect(answers(swapped, sentence, {})).toHaveLength(1);
    expect(answers(swapped, sentence, { numbers: true })).toEqual([]);
    expect(
      answers("Which film has more than one hundred minutes of music?", sentence, { numbers: true }),
    ).toEqual(sentence);
    expect(selectSentences(swapped, sources(...sentence), "en")).toEqual([]);
  });
});
