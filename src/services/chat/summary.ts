import type { Verb } from "../../context";
import { loadStemmers } from "../../lib/text/analyzer";
import { mostCentral, tfIdfVectors } from "../../lib/text/centrality";
import { detectLanguage, type Language, loadLanguageDetector } from "../../lib/text/language";
import { splitSentences } from "../../lib/text/sentences";
import { contentTerms } from "../../lib/text/terms";
import { tokenize } from "../../lib/text/words";
import { readyDocuments } from "../../storage/repositories/documents.repo";
import type { PlacedChunkHit } from "../../storage/search-shard/search-shard.interface";
import { pageAt } from "./citations";

// Bounds of one summary, whatever the documents' sizes: LexRank is quadratic in sentences.
/** Documents a summary of "all the assistant's documents" reads, in listing order. */
const MAX_DOCUMENTS = 10;
/** Documents whose names a request may be matched against. */
const MAX_NAMED_CANDIDATES = 1000;
/** Chunks read for one summary, shared among its documents, spread evenly over each. */
const CHUNK_BUDGET = 24;
const MIN_CHUNKS_PER_DOCUMENT = 2;
/** Sentences ranked at most, sampled evenly from those read. */
const MAX_RANKED_SENTENCES = 250;
/** Sentences in a summary: a few for one document, one more per further document. */
const SUMMARY_SENTENCES = 5;
const MAX_SUMMARY_SENTENCES = 8;
/** Shorter sentences are headings and list labels; a summary wants statements. */
const MIN_WORDS = 6;
/** Below this share of letters among its visible characters, a "sentence" is code, a path or a table. */
const MIN_LETTER_SHARE = 0.8;

export interface SummaryDocument {
  id: string;
  filename: string;
  generation: number;
}

/** A sentence of a summary: verbatim from its chunk, with the page it lies on. */
export interface SummarySentence {
  text: string;
  chunk: PlacedChunkHit;
  page: number | null;
  score: number;
}

export interface SummaryTarget {
  collectionIds: string[];
  /** Words the request holds besides asking for a summary: a document's name, if anything. */
  rest: string[];
  /** The documents the last answer cited, most cited first: "this document" is the first. */
  citedDocumentIds: string[];
}

/**
 * The documents a whole-document request is about: those whose filename holds every remaining
 * word of the request; else the document the last answer cited most; else the assistant's
 * documents (the first MAX_DOCUMENTS). Undefined when the remaining words name no document: the
 * request is then about a topic, to be searched.
 */
export async function documentsToSummarise({
  ctx,
  deps,
  input,
}: Verb<SummaryTarget>): Promise<SummaryDocument[] | undefined> {
  const { collectionIds } = input;
  if (input.rest.length > 0) {
    const candidates = await readyDocuments(deps.db, ctx.tenantId, { collectionIds }, MAX_NAMED_CANDIDATES);
    const named = candidates.filter((document) => {
      const words = new Set(tokenize(document.filename));
      return input.rest.every((word) => words.has(word));
    });
    return named.length > 0 ? named.slice(0, MAX_DOCUMENTS) : undefined;
  }
  const cited = input.citedDocumentIds[0];
  if (cited) {
    const [document] = await readyDocuments(
      deps.db,
      ctx.tenantId,
      { collectionIds, documentIds: [cited] },
      1,
    );
    if (document) return [document];
  }
  return readyDocuments(deps.db, ctx.tenantId, { collectionIds }, MAX_DOCUMENTS);
}

const VISIBLE = /\S/gu;
const LETTER = /\p{L}/gu;
const ENDS_LIKE_PROSE = /[.!?…]["'»”)\]]?$/u;
const CODE_SPAN = /`[^`\n]*`/g;
const LIST_ITEM = /^(?:[-*+•]|\d{1,3}[.)])\s/u;

/**
 * Whether a sentence reads as a statement: prose that ends like a sentence, or a list item, and
 * not a heading, a table row, a link or code.
 */
function isStatement(text: string): boolean {
  if (!(ENDS_LIKE_PROSE.test(text) || LIST_ITEM.test(text)) || /[\n|]|:\/\//.test(text)) return false;
  // Words in code spans (`GET /api/v1/usage`) are names, not statements.
  const prose = text.replace(CODE_SPAN, " ");
  if (tokenize(prose).length < MIN_WORDS) return false;
  const visible = prose.match(VISIBLE)?.length ?? 0;
  return (prose.match(LETTER)?.length ?? 0) >= visible * MIN_LETTER_SHARE;
}

/** A run of list items, which sentence splitting joins (no full stops), as its items. */
const itemsOf = (sentence: string): string[] =>
  sentence.includes("\n") ? sentence.split("\n").map((line) => line.trim()) : [sentence];

/** `count` items spread evenly over `items` (all of them when there are fewer). */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

/**
 * An extractive summary of the documents: their most central sentences by LexRank (tf-idf
 * cosine graph over the language-aware content terms of each sentence), in document order. Reads
 * at most CHUNK_BUDGET chunks spread over the documents and ranks at most MAX_RANKED_SENTENCES.
 */
export async function summariseDocuments({
  ctx,
  deps,
  input,
}: Verb<{ documents: SummaryDocument[]; fallbackLanguage: Language }>): Promise<SummarySentence[]> {
  const { documents } = input;
  if (documents.length === 0) return [];
  await Promise.all([loadLanguageDetector(), loadStemmers()]);
  const perDocument = Math.max(MIN_CHUNKS_PER_DOCUMENT, Math.floor(CHUNK_BUDGET / documents.length));
  const chunks = await deps.searchShards.sampleChunks(
    ctx,
    documents.map((document) => ({ documentId: document.id, generation: document.generation })),
    perDocument,
  );
  const sentences: { text: string; chunk: PlacedChunkHit; offset: number; terms: string[] }[] = [];
  for (const chunk of chunks) {
    const language = detectLanguage(chunk.text) ?? input.fallbackLanguage;
    let from = 0;
    for (const text of splitSentences(chunk.text).flatMap(itemsOf)) {
      if (!text) continue;
      const offset = chunk.text.indexOf(text, from);
      from = offset + text.length;
      if (!isStatement(text)) continue;
      sentences.push({ text, chunk, offset, terms: [...contentTerms(text, language)] });
    }
  }
  // Overlapping chunks repeat sentences: each counts once.
  const seen = new Set<string>();
  const distinct = sentences.filter((sentence) => !seen.has(sentence.text) && seen.add(sentence.text));
  const ranked = spread(distinct, MAX_RANKED_SENTENCES);
  const count = Math.min(MAX_SUMMARY_SENTENCES, SUMMARY_SENTENCES + documents.length - 1);
  const vectors = tfIdfVectors(ranked.map((sentence) => sentence.terms));
  const chosen = mostCentral(vectors, count);
  // `ranked` is in document order (documents in turn, chunks by position, sentences in place).
  return chosen
    .sort((a, b) => a.index - b.index)
    .map(({ index, score }) => {
      const sentence = ranked[index]!;
      return {
        text: sentence.text,
        chunk: sentence.chunk,
        page: pageAt(sentence.chunk, sentence.offset),
        score,
      };
    });
}
