import { memoByText } from "../../lib/memo";
import { splitSentences } from "../../lib/text/sentences";
import { contentTerms } from "../../lib/text/terms";
import type { StoredCitation } from "../../storage/schema";
import type { SearchHit } from "../search/search.service";

/** A source offered to the model, and later cited: `[index]` in the answer (stored as is with it). */
export type Citation = StoredCitation;

const MAX_EXCERPT_CHARS = 300;

/** The start of `text` up to `max` characters, cut at a word boundary: still a substring of it. */
function head(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  const cut = trimmed.lastIndexOf(" ", max);
  return trimmed.slice(0, cut > max / 2 ? cut : max);
}

/** The page on which `offset` of a chunk's text lies. */
export function pageAt(hit: Pick<SearchHit, "pageStart" | "pageOffsets">, offset: number): number | null {
  let page = hit.pageStart;
  for (const [start, startingPage] of hit.pageOffsets ?? []) if (start <= offset) page = startingPage;
  return page;
}

export function candidateCitations(hits: SearchHit[]): Citation[] {
  return hits.map((hit, i) => ({
    index: i + 1,
    chunk_id: hit.id,
    document_id: hit.documentId,
    filename: hit.filename,
    page: hit.pageStart,
    section: hit.section,
    excerpt: head(hit.text, MAX_EXCERPT_CHARS),
    score: hit.score,
  }));
}

const MARKER = /\[(\d+)\]/g;

/**
 * Removes `[n]` markers that point at no source from streamed text. A marker may be split across
 * deltas ("[1" then "2]"), so a trailing fragment that could still become one is held back until
 * the next delta or the end. The joined output is the answer as stored.
 */
export class MarkerFilter {
  private pending = "";

  constructor(private readonly sourceCount: number) {}

  /** Text safe to emit now. */
  push(text: string): string {
    const combined = this.pending + text;
    const fragment = combined.match(/\[\d{0,3}$/);
    this.pending = fragment ? fragment[0] : "";
    const ready = fragment ? combined.slice(0, -fragment[0].length) : combined;
    return this.clean(ready);
  }

  /** Whatever was held back, at the end of the stream. */
  flush(): string {
    const rest = this.clean(this.pending);
    this.pending = "";
    return rest;
  }

  private clean(text: string): string {
    return text.replace(MARKER, (marker, n: string) => {
      const index = Number(n);
      return index >= 1 && index <= this.sourceCount ? marker : "";
    });
  }
}

/**
 * The citations an answer actually uses, in marker order, each with the sentence of its chunk that
 * best matches the answer's sentences citing it. Excerpts are checked to be verbatim substrings of
 * the chunk: an excerpt is never invented.
 */
export function usedCitations(answer: string, candidates: Citation[], hits: SearchHit[]): Citation[] {
  // What a marker cites is the text since the previous marker: "Claim one [1]. Claim two [2][3]."
  const citing = new Map<number, string[]>();
  let previousEnd = 0;
  let lastText = "";
  for (const match of answer.matchAll(MARKER)) {
    const text = answer.slice(previousEnd, match.index).trim();
    if (text) lastText = text;
    previousEnd = match.index + match[0].length;
    const index = Number(match[1]);
    if (!candidates[index - 1]) continue;
    citing.set(index, [...(citing.get(index) ?? []), lastText]);
  }
  return [...citing].map(([index, texts]) => {
    const candidate = candidates[index - 1]!;
    const hit = hits[index - 1]!;
    const excerpt = bestExcerpt(hit.text, texts.join(" ")) ?? candidate.excerpt;
    // The page of a chunk that spans pages is the page of the excerpt.
    return { ...candidate, excerpt, page: pageAt(hit, hit.text.indexOf(excerpt)) };
  });
}

/** A chunk's sentences with their content terms: the same chunks are cited turn after turn. */
const sentenceTerms = memoByText(256, (chunkText) =>
  splitSentences(chunkText).map((sentence) => ({ sentence, terms: contentTerms(sentence) })),
);

function bestExcerpt(chunkText: string, citing: string): string | undefined {
  const wanted = contentTerms(citing.replace(MARKER, ""));
  let best: { sentence: string; overlap: number } | undefined;
  for (const { sentence, terms } of sentenceTerms(chunkText)) {
    let overlap = 0;
    for (const term of terms) if (wanted.has(term)) overlap++;
    if (!best || overlap > best.overlap) best = { sentence, overlap };
  }
  if (!best || best.overlap === 0) return undefined;
  const excerpt = head(best.sentence, MAX_EXCERPT_CHARS);
  return chunkText.includes(excerpt) ? excerpt : undefined;
}
