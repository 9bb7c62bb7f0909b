import { beforeAll, describe, expect, it } from "vitest";
import { answerMessages } from "../../../src/lib/text/answer-messages";
import { ExtractiveAnswerGenerator, questionParts } from "../../../src/providers/llm/extractive";
import type { GenerateRequest, Source } from "../../../src/providers/llm/types";
import { readCorpus } from "../../helpers/corpus";
import { search, uploadCorpus, waitForDocument } from "../../helpers/documents";
import { createCollection, createTenant } from "../../helpers/tenants";
import { collect } from "./collect";

const DONT_KNOW_ANSWER = answerMessages("en").sourcesDoNotAnswer;
const LINES_PER_SOURCE = 25;
const generator = new ExtractiveAnswerGenerator();
let sources: Source[];

// The article is hard-wrapped with no blank lines: sentences run across line breaks.
beforeAll(async () => {
  const lines = new TextDecoder().decode(await readCorpus("txt/norwich-city.txt")).split("\n");
  sources = [];
  for (let i = 0; i < 5; i++) {
    const text = lines.slice(i * LINES_PER_SOURCE, (i + 1) * LINES_PER_SOURCE).join("\n");
    sources.push({ index: i + 1, text, filename: "norwich-city.txt" });
  }
});

const ask = (question: string, extra: Partial<GenerateRequest> = {}) =>
  collect(generator.stream({ systemPrompt: "", question, sources, history: [], ...extra }));

/** Each delta is `sentence [n]` (after a space for all but the first): returns them parsed. */
function quotes(deltas: { text: string }[]) {
  return deltas.map(({ text }) => {
    const match = /^ ?([\s\S]+) \[(\d+)\]$/.exec(text);
    expect(match, text).not.toBeNull();
    return { sentence: match![1]!, index: Number(match![2]) };
  });
}

describe("extractive answers", () => {
  it("quotes the sentence that answers, verbatim, with the marker of its source", async () => {
    const answer = await ask("Where was Iwan Roberts born?");
    const quoted = quotes(answer.deltas);
    expect(quoted.length).toBeGreaterThanOrEqual(1);
    expect(quoted.length).toBeLessThanOrEqual(3);
    for (const { sentence, index } of quoted) {
      expect(sources[index - 1]!.text).toContain(sentence);
    }
    expect(quoted.some(({ sentence }) => /born in Bangor/.test(sentence))).toBe(true);
    expect(answer.text).toBe(answer.deltas.map((d) => d.text).join(""));
    expect(answer.done).toMatchObject({ finishReason: "stop", model: "extractive" });
  });

  it("finds a fact whose words are inflected differently in the question", async () => {
    const { deltas } = await ask("How many caps did he win playing for Wales?");
    const [first] = quotes(deltas);
    expect(first!.sentence).toMatch(/fifteen caps/);
    expect(sources[first!.index - 1]!.text).toContain(first!.sentence);
  });

  it("says it does not know, without markers, when no sentence is about the question", async () => {
    for (const question of [
      "What is the boiling point of water at sea level?",
      // "United" appears (Cambridge United), but one shared word of a question about something else is no answer.
      "Who is the president of the United States?",
    ]) {
      const answer = await ask(question);
      expect(answer.text, question).toBe(DONT_KNOW_ANSWER);
      expect(answer.text).not.toMatch(/\[\d+\]/);
      expect(answer.done?.finishReason).toBe("stop");
    }
  });

  it("says it does not know when there are no sources or the question is only stop words", async () => {
    expect((await ask("Where was Iwan Roberts born?", { sources: [] })).text).toBe(DONT_KNOW_ANSWER);
    expect((await ask("What is it?")).text).toBe(DONT_KNOW_ANSWER);
  });

  it("breaks ties by source rank and quotes a repeated sentence once", async () => {
    const sentence = "The club was founded in 1902 by a group of schoolteachers.";
    const answer = await collect(
      generator.stream({
        systemPrompt: "",
        question: "When was the club founded?",
        history: [],
        sources: [
          { index: 1, text: `Unrelated opening line here. ${sentence}` },
          { index: 2, text: `${sentence} Another unrelated line follows.` },
        ],
      }),
    );
    expect(answer.text).toBe(`${sentence} [1]`);
  });

  it("uses no model tokens and is deterministic", async () => {
    const first = await ask("Which clubs did Roberts play for?");
    const second = await ask("Which clubs did Roberts play for?");
    expect(second.text).toBe(first.text);
    expect(first.text.length).toBeGreaterThan(0);
    expect(first.done!.usage).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      estimated: false,
    });
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    controller.abort(new Error("client went away"));
    await expect(ask("Where was Iwan Roberts born?", { signal: controller.signal })).rejects.toThrow(
      "client went away",
    );
  });
});

describe("extractive answers to a question in two parts", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  const paper = await uploadCorpus(tenant, collection.id, "pdf/tracemonkey.pdf");
  expect((await waitForDocument(tenant, paper.id)).status).toBe("ready");

  /** Asks as chat does: the question's search results, best first, are the sources. */
  async function askPaper(question: string) {
    const hits = await search(tenant, question, { top_k: 5 });
    const paperSources = hits.map(
      (hit, i): Source => ({ index: i + 1, text: hit.text, filename: hit.filename }),
    );
    const answer = await collect(
      generator.stream({ systemPrompt: "", question, sources: paperSources, history: [] }),
    );
    return { answer, sources: paperSources };
  }

  // No sentence of the paper covers enough of both parts: the question used to get "I don't know".
  it("quotes a sentence for each part when each is answered by a different sentence", async () => {
    const { answer, sources: paperSources } = await askPaper(
      "What is trace-based just-in-time type specialization and which language does TraceMonkey target?",
    );
    expect(answer.text).not.toBe(DONT_KNOW_ANSWER);
    const quoted = quotes(answer.deltas);
    for (const { sentence, index } of quoted) expect(paperSources[index - 1]!.text).toContain(sentence);
    const forFirstPart = quoted.findIndex(({ sentence }) => /type speciali[sz]ation/i.test(sentence));
    const forSecondPart = quoted.findIndex(({ sentence }) => /TraceMonkey/.test(sentence));
    expect(forFirstPart, answer.text).toBeGreaterThanOrEqual(0);
    expect(forSecondPart, answer.text).toBeGreaterThanOrEqual(0);
    expect(forSecondPart).not.toBe(forFirstPart);
  });

  it("still says it does not know when neither part is in the sources", async () => {
    const { answer } = await askPaper("Who won the 1998 World Cup and where is the Eiffel Tower?");
    expect(answer.text).toBe(DONT_KNOW_ANSWER);
  });
});

describe("questionParts", () => {
  const parts = (question: string) => questionParts(question).map((terms) => [...terms].sort());

  it("splits joined questions, and only those", () => {
    expect(parts("Where was Iwan Roberts born and which clubs did he play for?")).toEqual([
      ["born", "iwan", "robert"],
      ["club", "play"],
    ]);
    expect(parts("When was the club founded? Who founded the club?")).toHaveLength(2);
    // A preamble, a relative clause and a list of names are one question.
    expect(parts("In 1730, what American city had the most slaveholders?")).toHaveLength(1);
    expect(parts("Who wrote the paper, which was published in 2009?")).toHaveLength(1);
    expect(parts("Were Andreas Gal and Brendan Eich among the authors?")).toHaveLength(1);
  });

  it("leaves a clause of one term with the rest of the question", () => {
    expect(parts("Who founded Norwich City and when?")).toHaveLength(1);
    expect(parts("Who founded Norwich City and who owns it?")).toHaveLength(1);
  });
});
