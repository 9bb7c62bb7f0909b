// A "who" is answered by a sentence that names someone, a "when" by one that says a time, a "how
// many" by one that holds a number: a sentence on the topic without one is not an answer.
import { beforeAll, describe, expect, it } from "vitest";
import { loadStemmers } from "../../../src/lib/text/analyzer";
import { answerTypeOf, selectSentences } from "../../../src/providers/llm/extractive";
import type { Source } from "../../../src/providers/llm/types";

// Snowball's stemmers load on first use; the paths that stem await them, as these tests do.
beforeAll(loadStemmers);

const sources = (...texts: string[]): Source[] => texts.map((text, i) => ({ index: i + 1, text }));
const quoted = (question: string, texts: string[], language: "en" | "fr" | "de" = "en") =>
  selectSentences(question, sources(...texts), language).map((sentence) => sentence.text);

describe("answer types", () => {
  it("reads the type from what the question opens with, in the supported languages", () => {
    expect(answerTypeOf("Who wrote the paper?")).toBe("name");
    expect(answerTypeOf("By whom was it built?")).toBe("name");
    expect(answerTypeOf("Qui a écrit l'article ?")).toBe("name");
    expect(answerTypeOf("Wer hat die Brücke gebaut?")).toBe("name");
    expect(answerTypeOf("When was the bridge opened?")).toBe("time");
    expect(answerTypeOf("En quelle année le pont a-t-il ouvert ?")).toBe("time");
    expect(answerTypeOf("¿Cuándo se abrió el puente?")).toBe("time");
    expect(answerTypeOf("How many people live there?")).toBe("quantity");
    expect(answerTypeOf("Combien de personnes y vivent ?")).toBe("quantity");
    expect(answerTypeOf("What is the bridge made of?")).toBeUndefined();
    // "wie" opens a Dutch "who" but is a German "how": only the whole opening decides.
    expect(answerTypeOf("What does the committee who met decide?")).toBeUndefined();
  });

  it("reads it after a preamble or an approximation, and at the end of a question in the statement's order", () => {
    expect(answerTypeOf("In 1905, approximately how many people lived there?")).toBe("quantity");
    expect(answerTypeOf("About how many schools are there?")).toBe("quantity");
    expect(answerTypeOf("The critic gave the film how many stars?")).toBe("quantity");
    expect(answerTypeOf("Before the war, who ran the company?")).toBe("name");
    expect(answerTypeOf("The architect's daughter married who?")).toBe("name");
    expect(answerTypeOf("The estate settled the dispute with whom?")).toBe("name");
    expect(answerTypeOf("The novel was finished in what year?")).toBe("time");
    // A relative "who" or a "when" of circumstance inside the question asks for no name or time.
    expect(answerTypeOf("What does the knight shout when attacking?")).toBeUndefined();
    expect(answerTypeOf("Which engineer who was hired later designed the roof?")).toBeUndefined();
  });

  it("quotes the sentence that names someone for a who, not the first on the topic", () => {
    const [first] = quoted("Who designed the bridge?", [
      "The bridge was designed in a bold modern style.",
      "The bridge was designed by Gustave Eiffel.",
    ]);
    expect(first).toBe("The bridge was designed by Gustave Eiffel.");
    const [premier] = quoted(
      "Qui a conçu le pont ?",
      ["Le pont a été conçu avec soin.", "Le pont a été conçu par Gustave Eiffel."],
      "fr",
    );
    expect(premier).toBe("Le pont a été conçu par Gustave Eiffel.");
  });

  it("refuses a when, a how many or a who whose only sentence on the topic does not hold one", () => {
    expect(
      quoted("When was the bridge over the river built?", [
        "The bridge over the river was built of iron and stone.",
      ]),
    ).toEqual([]);
    expect(
      quoted("How many people live in the old town?", ["People live in the old town for its calm streets."]),
    ).toEqual([]);
    expect(
      quoted("Who built the bridge over the river?", [
        "The bridge over the river was built of iron and stone.",
      ]),
    ).toEqual([]);
    expect(quoted("Wann wurde die Brücke gebaut?", ["Die Brücke wurde aus Eisen gebaut."], "de")).toEqual([]);
  });

  it("still answers when the sentence holds what is asked for", () => {
    expect(
      quoted("When was the bridge over the river built?", ["The bridge over the river was built in 1889."]),
    ).toEqual(["The bridge over the river was built in 1889."]);
    expect(
      quoted("How many people live in the old town?", ["Twelve thousand people live in the old town."]),
    ).toEqual(["Twelve thousand people live in the old town."]);
    expect(
      quoted("What is the bridge over the river made of?", ["The bridge over the river is made of iron."]),
    ).toEqual(["The bridge over the river is made of iron."]);
  });

  it("answers from two sentences of a paragraph when the next one holds what the question's sentence lacks", () => {
    const paragraph =
      "The famine brought a large influx of Irish immigrants to Boston. Over 50,000 were living in the city by 1860. " +
      "The harbour was widened in 1870.";
    expect(quoted("How many Irish immigrants were living in Boston?", [paragraph])).toEqual([
      "The famine brought a large influx of Irish immigrants to Boston.",
      "Over 50,000 were living in the city by 1860.",
    ]);
    // Two paragraphs are not read as one.
    expect(
      quoted("How many Irish immigrants were living in Boston?", [
        "The famine brought a large influx of Irish immigrants to Boston.\n\nOver 50,000 were living in the city by 1860.",
      ]),
    ).toEqual([]);
  });
});
