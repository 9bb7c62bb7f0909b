// Quality of the default (extractive) answers, through the API, on a seeded sample of SQuAD 2.0's
// train split (see bench/squad-sample.ts): 8 Wikipedia articles uploaded as Markdown documents and
// ingested by the queue, then 350 questions asked to an assistant over them, each in a new
// conversation: 150 answerable, 100 of SQuAD 2.0's unanswerable questions (written against a
// paragraph of an ingested article, with its words), 50 questions about 2 articles that were not
// ingested, and 50 pairs of answerable questions joined by "and". Prints the share of answers that
// contain an expected answer, whose citations quote the paragraph the question was written on, and
// of unanswerable questions refused.
// Run: npx vitest run --config bench/vitest.config.ts bench/answers.squad.bench.test.ts
import type { z } from "@hono/zod-openapi";
import { beforeAll, expect, inject, it } from "vitest";
import { loadStemmers } from "../src/lib/text/analyzer";
import { answerMessages } from "../src/lib/text/answer-messages";
import { detectLanguage } from "../src/lib/text/language";
import { splitSentences } from "../src/lib/text/sentences";
import { AssistantSchema } from "../src/routes/assistants/assistants.schemas";
import { ChatResponseSchema } from "../src/routes/chat/chat.schemas";
import { CollectionSchema } from "../src/routes/collections/collections.schemas";
import { DocumentSchema, UploadedDocumentSchema } from "../src/routes/documents/documents.schemas";
import { SearchResponseSchema } from "../src/routes/search/search.schemas";
import { TenantSchema } from "../src/routes/tenants/tenants.schemas";
import { apiWithEnv, expectBody } from "../test/helpers/api";
import { curveLines, evaluate, OLD_CURVE, type RecordedQuestion, share, words } from "./abstention";
import { recordBenchData } from "./record";
import { ANSWERS_RECORDING, type QaQuestion, type QuestionKind } from "./squad-sample";

// Snowball's stemmers load on first use; the paths that stem await them, as these tests do.
beforeAll(loadStemmers);

// 300 questions over ~5 chunks of 800 tokens each overrun the free plan's monthly tokens.
const LIMITS = {
  MAX_CHAT_MESSAGES_PER_MONTH: "100000",
  MAX_LLM_TOKENS_PER_MONTH: "1000000000",
  MAX_REQUESTS_PER_MINUTE_PER_KEY: "100000",
};

type Reply = z.infer<typeof ChatResponseSchema>;

const refused = (reply: Reply) => reply.answer.includes(answerMessages("en").sourcesDoNotAnswer);

/** Sentences of the question's paragraph that hold one of its answers. */
function answeringSentences(question: QaQuestion): string[] {
  const answers = question.answers.map(words);
  return splitSentences(question.paragraph!)
    .map(words)
    .filter((sentence) => answers.some((answer) => sentence.includes(answer)));
}

it("extractive answers on SQuAD 2.0 (train sample): answer found, right passage cited, refusals", async () => {
  const provided = inject("qaSample");
  if ("missing" in provided) throw new Error(provided.missing);
  const { sample } = provided;
  const root = apiWithEnv(LIMITS);
  const tenant = await root.expectJson(201, "POST", "tenants", TenantSchema, { json: { name: "SQuAD" } });
  const client = apiWithEnv(LIMITS, { "x-tenant-id": tenant.id });
  const collection = await client.expectJson(201, "POST", "collections", CollectionSchema, {
    json: { name: "SQuAD 2.0 sample" },
  });

  let start = performance.now();
  const uploaded: { id: string }[] = [];
  for (const document of sample.documents) {
    const markdown = `# ${document.title}\n\n${document.paragraphs.join("\n\n")}\n`;
    const form = new FormData();
    form.append("file", new File([markdown], `${document.title}.md`));
    const response = await client.request("POST", `documents/upload/${collection.id}`, { body: form });
    uploaded.push(await expectBody(response, 202, UploadedDocumentSchema));
  }
  let chunks = 0;
  for (const document of uploaded) {
    for (;;) {
      const current = await client.expectJson(200, "GET", `documents/${document.id}`, DocumentSchema);
      if (current.status === "ready") {
        chunks += current.chunk_count;
        break;
      }
      expect(current.status, current.error ?? "").not.toBe("failed");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  console.log(
    `${sample.source}: ${sample.documents.length} documents, ${chunks} chunks, ingested through the API in ` +
      `${((performance.now() - start) / 1000).toFixed(1)} s; ${sample.questions.length} questions`,
  );

  const assistant = await client.expectJson(201, "POST", "assistants", AssistantSchema, {
    json: { name: "SQuAD", system_prompt: "You answer from the documents.", collection_ids: [collection.id] },
  });

  start = performance.now();
  const tally = {
    answerable: { total: 0, retrieved: 0, found: 0, cited: 0, refused: 0 },
    compound: { total: 0, both: 0, one: 0, refused: 0 },
    unanswerable: { total: 0, refused: 0 },
    "off-corpus": { total: 0, refused: 0 },
  } satisfies Record<QuestionKind, object>;
  // What the API's search returned for each answerable and unanswerable question (at the
  // assistant's top_k, as the chat searched): replayed below and offline (answers-replay).
  const recorded: RecordedQuestion[] = [];
  for (const question of sample.questions) {
    const reply = await client.expectJson(200, "POST", `chat/${assistant.id}`, ChatResponseSchema, {
      json: { message: question.question },
    });
    if (question.kind === "compound") {
      const c = tally.compound;
      c.total++;
      if (refused(reply)) c.refused++;
      const answer = words(reply.answer);
      const found = question.partAnswers.filter((answers) => answers.some((a) => answer.includes(words(a))));
      if (found.length === 2) c.both++;
      if (found.length >= 1) c.one++;
      continue;
    }
    if (question.kind === "answerable" || question.kind === "unanswerable") {
      const { results } = await client.expectJson(200, "POST", "search", SearchResponseSchema, {
        json: { query: question.question, top_k: assistant.top_k, collection_ids: [collection.id] },
      });
      recorded.push({
        id: question.id,
        kind: question.kind,
        question: question.question,
        language: detectLanguage(question.question),
        answers: question.answers,
        sources: results.map((hit, i) => ({ index: i + 1, text: hit.text, lists: hit.lists })),
      });
    }
    if (question.kind !== "answerable") {
      tally[question.kind].total++;
      if (refused(reply)) tally[question.kind].refused++;
      continue;
    }
    const t = tally.answerable;
    t.total++;
    if (refused(reply)) t.refused++;
    const answer = words(reply.answer);
    if (question.answers.some((expected) => answer.includes(words(expected)))) t.found++;
    const paragraph = words(question.paragraph!);
    if (reply.citations.some((citation) => paragraph.includes(words(citation.excerpt)))) t.cited++;
    // The ceiling set by retrieval: whether a sentence holding the answer was among the sources
    // the answerer was given (the same search at the same top_k).
    const { results } = await client.expectJson(200, "POST", "search", SearchResponseSchema, {
      json: { query: question.question, top_k: assistant.top_k, collection_ids: [collection.id] },
    });
    const wanted = answeringSentences(question);
    if (results.some((hit) => wanted.some((sentence) => words(hit.text).includes(sentence)))) t.retrieved++;
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `asked in ${seconds.toFixed(1)} s (${((1000 * seconds) / sample.questions.length).toFixed(0)} ms per question, with a search per answerable one)`,
  );
  const a = tally.answerable;
  console.log(`answerable (${a.total}), top_k ${assistant.top_k}:`);
  console.log(`  answering sentence among the sources  ${share(a.retrieved, a.total)}`);
  console.log(`  answer contains an expected answer    ${share(a.found, a.total)}`);
  console.log(`  a citation quotes the right paragraph ${share(a.cited, a.total)}`);
  console.log(`  refused (wrongly)                     ${share(a.refused, a.total)}`);
  const c = tally.compound;
  console.log(`compound (two answerable questions joined by "and") (${c.total}):`);
  console.log(`  answer contains both expected answers ${share(c.both, c.total)}`);
  console.log(`  answer contains at least one          ${share(c.one, c.total)}`);
  console.log(`  refused (wrongly)                     ${share(c.refused, c.total)}`);
  const u = tally.unanswerable;
  const o = tally["off-corpus"];
  console.log(`unanswerable (SQuAD 2.0) refused        ${share(u.refused, u.total)}`);
  console.log(`off-corpus (article not ingested) refused ${share(o.refused, o.total)}`);
  console.log(`all unanswerable refused                ${share(u.refused + o.refused, u.total + o.total)}`);

  console.log(
    "abstention trade-off (same sources, selection only): setting -> answer found / unanswerable refused",
  );
  for (const line of curveLines(OLD_CURVE.map((setting) => evaluate(recorded, setting)))) console.log(line);
  // The sources with the sample's text go to bench/recorded/ (ignored by git), for answers-replay.
  await recordBenchData(ANSWERS_RECORDING, recorded);

  // Loose floors: under these, ingestion, retrieval or the answerer is broken.
  expect(a.retrieved / a.total).toBeGreaterThan(0.5);
  expect(a.found / a.total).toBeGreaterThan(0.2);
  // Judged as one, the two parts of a compound question were refused 46% of the time.
  expect(c.refused / c.total).toBeLessThan(0.3);
});
