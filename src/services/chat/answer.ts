import type { Verb } from "../../context";
import { loadTokenCounter } from "../../ingest/tokens";
import {
  type AnswerMessages,
  answerMessages,
  DEFAULT_ANSWER_LANGUAGE,
  listNames,
} from "../../lib/text/answer-messages";
import { documentFactRequest } from "../../lib/text/document-question";
import { detectLanguage, type Language, loadLanguageDetector } from "../../lib/text/language";
import { wholeDocumentRequest } from "../../lib/text/summary-request";
import { ProviderError } from "../../providers/errors";
import { ANSWER_MAX_TOKENS, addUsage, NO_USAGE, sourcesWithinBudget } from "../../providers/llm/prompt";
import type { ChatTurn, GenerationEvent, Source, Usage } from "../../providers/llm/types";
import type { AssistantWithCollections } from "../../storage/repositories/assistants.repo";
import type { PlacedChunkHit } from "../../storage/search-shard/search-shard.interface";
import { type SearchHit, searchChunks } from "../search/search.service";
import { candidateCitations, MarkerFilter, usedCitations } from "./citations";
import type { AnswerEvent } from "./conversation.interface";
import {
  documentsToSummarise,
  type SummaryDocument,
  type SummarySentence,
  summariseDocuments,
} from "./summary";
import { titlePageFacts } from "./title-page";

export interface Question {
  assistant: AssistantWithCollections;
  question: string;
  /** Earlier turns of the conversation, oldest first. */
  history: ChatTurn[];
  /** The documents the last answer cited, most cited first: what "this document" refers to. */
  citedDocumentIds?: string[];
  signal?: AbortSignal;
}

/** The languages of a turn: the question's as detected, and the one to answer in. */
interface TurnLanguages {
  question: Language | undefined;
  /** The assistant's setting, else the question's; undefined when neither is known. */
  answer: Language | undefined;
}

function turnLanguages(assistant: AssistantWithCollections, question: string): TurnLanguages {
  const detected = detectLanguage(question);
  return { question: detected, answer: assistant.language === "auto" ? detected : assistant.language };
}

interface Retrieval {
  hits: SearchHit[];
  /** What rewriting a follow-up used of the model, if it ran. */
  rewriteUsage: Usage;
}

async function retrieve({
  ctx,
  deps,
  input,
}: Verb<Question & { languages: TurnLanguages }>): Promise<Retrieval> {
  if (input.assistant.collectionIds.length === 0) return { hits: [], rewriteUsage: NO_USAGE };
  let query = input.question;
  let rewriteUsage = NO_USAGE;
  if (input.history.length > 0 && deps.answerGenerator.rewriteQuery) {
    // A follow-up ("and the second one?") searches badly on its own. Rewriting is a nicety:
    // if it fails, the question itself is searched.
    const rewritten = await deps.answerGenerator
      .rewriteQuery(input.question, input.history, input.signal, input.languages.question)
      .catch(() => undefined);
    if (rewritten) ({ query, usage: rewriteUsage } = rewritten);
  }
  const hits = await searchChunks({
    ctx,
    deps,
    input: {
      query,
      collectionIds: input.assistant.collectionIds,
      topK: input.assistant.topK,
      mode: "hybrid",
      collectionsAreTenants: true,
    },
  });
  return { hits, rewriteUsage };
}

const toSource = (hit: SearchHit, i: number): Source => ({
  index: i + 1,
  text: hit.text,
  filename: hit.filename,
  page: hit.pageStart,
  section: hit.section,
  lists: hit.lists,
});

/** A summary's sentences as sources: each its own, so that each is cited with its own page. */
const sentenceHits = (sentences: SummarySentence[]): SearchHit[] =>
  sentences.map(({ text, chunk, page, score }) => ({
    ...chunk,
    text,
    pageStart: page,
    pageEnd: page,
    pageOffsets: null,
    score,
  }));

/** The chunks that hold a summary's sentences, once each, in document order: what a model reads. */
function chunkHits(sentences: SummarySentence[], limit: number): SearchHit[] {
  const chunks = new Map<string, SearchHit>();
  for (const { chunk, score } of sentences) {
    const known = chunks.get(chunk.id);
    chunks.set(chunk.id, { ...chunk, score: Math.max(score, known?.score ?? 0) });
  }
  return [...chunks.values()].slice(0, limit);
}

/** The extractive summary as a generation: a heading naming the documents, then the cited sentences. */
async function* extractiveSummary(
  sentences: SummarySentence[],
  messages: AnswerMessages,
  names: string,
): AsyncGenerator<GenerationEvent> {
  yield { type: "delta", text: `${messages.summaryOf(names)}\n\n` };
  for (const [i, sentence] of sentences.entries()) {
    yield { type: "delta", text: `${i === 0 ? "" : " "}${sentence.text} [${i + 1}]` };
  }
  yield { type: "done", finishReason: "stop", model: "extractive", usage: NO_USAGE };
}

/** What a turn answers from, and how its answer is generated. */
interface Plan {
  hits: SearchHit[];
  sources: Source[];
  /** Undefined when there is nothing to answer from: the turn says so. */
  generate?: () => AsyncIterable<GenerationEvent>;
  /** What to say when there is nothing to answer from. */
  emptyAnswer: string;
  rewriteUsage: Usage;
}

/**
 * A request about a whole document ("Résume ce document"), when it is one: the most central
 * sentences of the documents it is about, quoted (no model) or given to the model as its sources.
 */
async function planSummary({
  ctx,
  deps,
  input,
}: Verb<Question & { languages: TurnLanguages }>): Promise<Plan | undefined> {
  const request = wholeDocumentRequest(input.question);
  if (!request || input.assistant.collectionIds.length === 0) return undefined;
  const documents = await documentsToSummarise({
    ctx,
    deps,
    input: {
      collectionIds: input.assistant.collectionIds,
      rest: request.rest,
      citedDocumentIds: input.citedDocumentIds ?? [],
    },
  });
  if (!documents) return undefined;
  const sentences = await summariseDocuments({
    ctx,
    deps,
    input: { documents, fallbackLanguage: input.languages.answer ?? DEFAULT_ANSWER_LANGUAGE },
  });
  // A request too short to tell its language is answered in the language of what it summarises.
  const language =
    input.languages.answer ??
    detectLanguage(sentences.map((sentence) => sentence.text).join(" ")) ??
    DEFAULT_ANSWER_LANGUAGE;
  const messages = answerMessages(language);
  const plan = { emptyAnswer: messages.nothingToSummarise, rewriteUsage: NO_USAGE };
  if (sentences.length === 0) return { ...plan, hits: [], sources: [] };
  if (deps.answerGenerator.callsModel) {
    // As many passages as the turn's token reservation counted on (top_k chunks at most).
    const hits = chunkHits(sentences, input.assistant.topK);
    const sources = sourcesWithinBudget(hits.map(toSource));
    return {
      ...plan,
      hits: hits.slice(0, sources.length),
      sources,
      generate: () => generateAnswer({ deps, input, sources, language }),
    };
  }
  const names = listNames(
    documents
      .filter((document) => sentences.some((s) => s.chunk.documentId === document.id))
      .map((d) => d.filename),
    language,
  );
  const hits = sentenceHits(sentences);
  return {
    ...plan,
    hits,
    sources: hits.map(toSource),
    generate: () => extractiveSummary(sentences, messages, names),
  };
}

/** Chunks read to find a document's first: positions restart with each page batch of a PDF. */
const TITLE_PAGE_CANDIDATES = 64;

/** Each document's first chunk: its lowest page, then its lowest position. */
async function titlePageChunks({ ctx, deps, input }: Verb<SummaryDocument[]>): Promise<PlacedChunkHit[]> {
  const chunks = await deps.searchShards.sampleChunks(
    ctx,
    input.map((document) => ({ documentId: document.id, generation: document.generation })),
    TITLE_PAGE_CANDIDATES,
  );
  const first = new Map<string, PlacedChunkHit>();
  const order = (chunk: PlacedChunkHit) => [chunk.pageStart ?? 0, chunk.position];
  for (const chunk of chunks) {
    const known = first.get(chunk.documentId);
    const [page, position] = order(chunk);
    if (!known || page! < order(known)[0]! || (page === order(known)[0] && position! < order(known)[1]!)) {
      first.set(chunk.documentId, chunk);
    }
  }
  return input.flatMap((document) => first.get(document.id) ?? []);
}

/**
 * A question about a document itself ("Who wrote this paper?", "Quel est le titre ?"), when it is
 * one: answered from the title page (the first chunk) of the documents it is about, chosen as a
 * summary's are. The extractive answerer quotes the passages that state the fact (the author list,
 * the institutions, the title, a date), each cited; a model reads the title pages as its sources.
 */
async function planDocumentFact({
  ctx,
  deps,
  input,
}: Verb<Question & { languages: TurnLanguages }>): Promise<Plan | undefined> {
  const request = documentFactRequest(input.question);
  if (!request || input.assistant.collectionIds.length === 0) return undefined;
  const documents = await documentsToSummarise({
    ctx,
    deps,
    input: {
      collectionIds: input.assistant.collectionIds,
      rest: request.rest,
      citedDocumentIds: input.citedDocumentIds ?? [],
    },
  });
  if (!documents) return undefined;
  const firstChunks = await titlePageChunks({ ctx, deps, input: documents });
  const language = input.languages.answer;
  const messages = answerMessages(language ?? DEFAULT_ANSWER_LANGUAGE);
  const plan = { emptyAnswer: messages.nothingFound, rewriteUsage: NO_USAGE };
  if (deps.answerGenerator.callsModel) {
    const hits = firstChunks.slice(0, input.assistant.topK).map((chunk) => ({ ...chunk, score: 1 }));
    const sources = sourcesWithinBudget(hits.map(toSource));
    return {
      ...plan,
      hits: hits.slice(0, sources.length),
      sources,
      generate: () => generateAnswer({ deps, input, sources, language }),
    };
  }
  // Each passage its own source, so that each is cited with its own excerpt.
  const hits: SearchHit[] = firstChunks.flatMap((chunk) =>
    titlePageFacts(chunk.text, request.fact).map((text) => ({ ...chunk, text, pageOffsets: null, score: 1 })),
  );
  if (hits.length === 0) {
    // The title pages do not say: nothing is quoted, and the question is not searched for "wrote".
    const refusal = messages.sourcesDoNotAnswer;
    return {
      ...plan,
      hits: firstChunks.map((chunk) => ({ ...chunk, score: 1 })),
      sources: [],
      generate: async function* () {
        yield { type: "delta", text: refusal };
        yield { type: "done", finishReason: "stop", model: "extractive", usage: NO_USAGE };
      },
    };
  }
  return {
    ...plan,
    hits,
    sources: hits.map(toSource),
    generate: async function* () {
      for (const [i, hit] of hits.entries())
        yield { type: "delta", text: `${i === 0 ? "" : " "}${hit.text} [${i + 1}]` };
      yield { type: "done", finishReason: "stop", model: "extractive", usage: NO_USAGE };
    },
  };
}

function generateAnswer({
  deps,
  input,
  sources,
  language,
}: Pick<Verb<Question>, "deps" | "input"> & { sources: Source[]; language: Language | undefined }) {
  return deps.answerGenerator.stream({
    systemPrompt: input.assistant.systemPrompt,
    question: input.question,
    sources,
    history: input.history,
    language,
    model: input.assistant.model,
    temperature: input.assistant.temperature,
    maxTokens: ANSWER_MAX_TOKENS,
    signal: input.signal,
  });
}

/** An ordinary question: hybrid retrieval, then the configured generator. */
async function planAnswer({
  ctx,
  deps,
  input,
}: Verb<Question & { languages: TurnLanguages }>): Promise<Plan> {
  const retrieval = await retrieve({ ctx, deps, input });
  // A model reads only the sources its prompt can hold (what the quota reserved for); the
  // citations offered are those same sources.
  const sources = deps.answerGenerator.callsModel
    ? sourcesWithinBudget(retrieval.hits.map(toSource))
    : retrieval.hits.map(toSource);
  const language = input.languages.answer;
  return {
    hits: retrieval.hits.slice(0, sources.length),
    sources,
    generate: () => generateAnswer({ deps, input, sources, language }),
    emptyAnswer: answerMessages(language ?? DEFAULT_ANSWER_LANGUAGE).nothingFound,
    rewriteUsage: retrieval.rewriteUsage,
  };
}

/**
 * Answers a question from an assistant's collections. A question about a document itself (its
 * authors, title, institutions, date) is answered from its title page; a request about a whole
 * document gets the most central sentences of that document (see summary.ts); any other question, hybrid retrieval
 * restricted to the tenant and the assistant's collections, then the configured generator with
 * the sources numbered. The answer is in the assistant's language, else the question's. Markers
 * that point at no source are removed as the text streams, and the citations used are resolved
 * with verbatim excerpts. Upstream failures are thrown as ProviderError.
 */
export async function* answerQuestion({ ctx, deps, input }: Verb<Question>): AsyncGenerator<AnswerEvent> {
  await Promise.all([loadLanguageDetector(), loadTokenCounter()]);
  const planned = { ...input, languages: turnLanguages(input.assistant, input.question) };
  const plan =
    (await planDocumentFact({ ctx, deps, input: planned })) ??
    (await planSummary({ ctx, deps, input: planned })) ??
    (await planAnswer({ ctx, deps, input: planned }));
  const { hits } = plan;
  const candidates = candidateCitations(hits);
  const retrievedDocumentIds = [...new Set(hits.map((hit) => hit.documentId))];
  yield { type: "citations", citations: candidates };

  if (hits.length === 0 || !plan.generate) {
    yield { type: "delta", text: plan.emptyAnswer };
    yield {
      type: "done",
      answer: plan.emptyAnswer,
      citations: [],
      usage: plan.rewriteUsage,
      model: "none",
      finishReason: "no_sources",
      retrievedDocumentIds,
    };
    return;
  }

  const filter = new MarkerFilter(hits.length);
  let answer = "";
  for await (const event of plan.generate()) {
    if (event.type === "delta") {
      const text = filter.push(event.text);
      if (text) {
        answer += text;
        yield { type: "delta", text };
      }
      continue;
    }
    const rest = filter.flush();
    if (rest) {
      answer += rest;
      yield { type: "delta", text: rest };
    }
    yield {
      type: "done",
      answer,
      citations: usedCitations(answer, candidates, hits),
      usage: addUsage(event.usage, plan.rewriteUsage),
      model: event.model,
      finishReason: event.finishReason,
      retrievedDocumentIds,
    };
    return;
  }
  throw new ProviderError("llm", true, "the answer stream ended without finishing");
}
