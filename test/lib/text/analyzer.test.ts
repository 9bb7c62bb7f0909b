import { beforeAll, describe, expect, it } from "vitest";
import { analyzeText, loadStemmers, stemmerFor, stopwordsFor } from "../../../src/lib/text/analyzer";
import type { Language } from "../../../src/lib/text/language";

// Snowball's stemmers load on first use; the paths that stem await them, as these tests do.
beforeAll(loadStemmers);

const INFLECTIONS: Record<Language, string[]> = {
  en: ["evaluated", "evaluation", "evaluate"],
  fr: ["évaluée", "évaluation", "évaluer"],
  de: ["Bewertung", "Bewertungen", "bewerten"],
  es: ["evaluada", "evaluación", "evaluar"],
  it: ["valutato", "valutazione", "valutare"],
  pt: ["avaliada", "avaliação", "avaliar"],
  nl: ["beoordeling", "beoordelingen", "beoordelen"],
};

describe("per-language analysers", () => {
  it.each(Object.entries(INFLECTIONS))("%s: inflections of one word share a term", (language, words) => {
    const terms = new Set(words.flatMap((word) => analyzeText(word, language as Language)));
    expect(terms.size).toBe(1);
  });

  it("stems before folding accents, so accented inflections still meet", () => {
    expect(stemmerFor("fr")("évaluée")).toBe("évalu");
    expect(analyzeText("L'approche est évaluée", "fr")).toEqual(["approch", "evalu"]);
  });

  it("drops each language's function words but not English content words", () => {
    expect(stopwordsFor("fr").has("les")).toBe(true);
    expect(stopwordsFor("de").has("und")).toBe(true);
    expect(analyzeText("the results of the research", "en")).toEqual(["result", "research"]);
  });

  it("only lowercases and folds words when the language is unknown", () => {
    expect(analyzeText("Évaluées les Données", undefined)).toEqual(["evaluees", "les", "donnees"]);
  });
});
