// Pure: the tenant's shard ranks with it (a prior on each hit) and the search API shows it (what a
// hit is, and its readable part).

import { memoBy } from "../../lib/memo";
import {
  looksLikeHeading,
  opensReferenceList,
  type UnquotableReason,
  unquotableReason,
} from "../../lib/text/quotable";
import type { PassageView } from "../../storage/search-shard/search-shard.interface";

/** What a chunk mostly is: body prose, or one of the kinds of text that is searchable but not quoted. */
export const PASSAGE_KINDS = [
  "body",
  "front_matter",
  "reference",
  "caption",
  "symbols",
  "furniture",
] as const;
export type PassageKind = (typeof PASSAGE_KINDS)[number];

export interface PassageMakeup {
  /**
   * The share of the chunk's text (its visible characters, headings left out) in blocks that are
   * not body prose: front matter, reference entries, captions, chart labels and symbols, furniture.
   */
  asideShare: number;
  /** The score the chunk keeps in ranking: 1 for body prose, less for each kind of aside (ASIDE_SCORE_FLOORS). */
  prior: number;
  /** "body" unless one such kind makes half of the chunk's text or more. */
  kind: PassageKind;
  /** The chunk's text without its blocks of symbols (chart and axis labels, garbled formulas). */
  readable: string;
}

const visibleLength = (text: string): number => text.replace(/\s+/gu, "").length;

/**
 * What a chunk's text is made of, block by block (chunks keep blocks apart with a blank line), by
 * the rules the extractive answerer quotes with (lib/text/quotable.ts), read from the text alone so
 * that chunks stored before ingestion tagged blocks are read the same way. A chunk whose section
 * is a reference list ("References") is in it from its first block.
 */
export function passageMakeup(text: string, section: string | null = null): PassageMakeup {
  const blocks = text
    .split(/\n[ \t]*\n/u)
    .map((block) => block.trim())
    .filter(Boolean);
  // In a reference list from its heading (or the chunk's section) to the next heading; a block
  // outside one may still read as entries, which unquotableReason tells (as referenceListBlocks
  // would, without reading each block twice).
  let inList = section?.split(" > ").some(opensReferenceList) ?? false;
  const byKind = new Map<UnquotableReason, number>();
  let total = 0;
  const readable: string[] = [];
  for (const block of blocks) {
    const heading = looksLikeHeading(block);
    if (opensReferenceList(block)) inList = true;
    else if (heading) inList = false;
    const reason = inList ? "reference" : unquotableReason(block, { block: true });
    if (reason !== "symbols") readable.push(block);
    if (heading && reason !== "reference") continue;
    const length = visibleLength(block);
    total += length;
    if (reason) byKind.set(reason, (byKind.get(reason) ?? 0) + length);
  }
  const aside = [...byKind.values()].reduce((sum, length) => sum + length, 0);
  const [main] = [...byKind.entries()].sort((a, b) => b[1] - a[1]);
  const share = (length: number) => (total > 0 ? length / total : 0);
  return {
    asideShare: share(aside),
    prior: [...byKind.entries()].reduce(
      (prior, [kind, length]) => prior - (1 - ASIDE_SCORE_FLOORS[kind]) * share(length),
      1,
    ),
    kind: main && aside * 2 >= total ? main[0] : "body",
    readable: readable.join("\n\n"),
  };
}

/**
 * How much of its score a chunk made only of one kind of aside keeps (a mixed chunk, in proportion
 * to each kind's share of its text). A title page's front matter matches a question about the
 * content through its title alone, in a chunk short enough for bm25 to favour it: it keeps a
 * quarter, still first for an author's name. A reference entry is text someone may look for (a
 * cited title): half. Chart labels, captions and furniture: a quarter. Chosen on corpus papers and
 * checked on BEIR SciFact (docs/performance.md).
 */
export const ASIDE_SCORE_FLOORS: Record<UnquotableReason, number> = {
  front_matter: 0.25,
  reference: 0.5,
  caption: 0.25,
  symbols: 0.25,
  furniture: 0.25,
};

// The same chunks come back for the same questions: a hit's makeup is remembered by its section
// and text (a chunk's text holds no NUL) for the isolate's last 1,024 of them, about 1.5 MB.
const makeupOf = memoBy(
  1024,
  (hit: { text: string; section: string | null }) => `${hit.section ?? ""}\u0000${hit.text}`,
  (hit) => passageMakeup(hit.text, hit.section),
);

/**
 * The best `topK` hits by their score weighed by how much of each is body prose
 * (`PassageMakeup.prior`), best first, each with its `passage` view. A prior never raises a score,
 * so hits are read best first and the reading stops at the first whose whole score cannot reach
 * the top K any more: only about K chunks are analysed, however many candidates the lists fetched.
 */
export function rankByBodyShare<T extends { text: string; section: string | null; score: number }>(
  hits: T[],
  topK: number,
): (T & { passage: PassageView })[] {
  const ranked: (T & { passage: PassageView })[] = [];
  for (const hit of [...hits].sort((a, b) => b.score - a.score)) {
    if (ranked.length >= topK && hit.score <= ranked[topK - 1]!.score) break;
    const { prior, kind, readable } = makeupOf(hit);
    const weighed = {
      ...hit,
      // A negative score (a cosine) is lowered too.
      score: hit.score >= 0 ? hit.score * prior : hit.score / prior,
      passage: readable === hit.text ? { kind } : { kind, excerpt: readable },
    };
    const at = ranked.findIndex((other) => other.score < weighed.score);
    ranked.splice(at < 0 ? ranked.length : at, 0, weighed);
  }
  return ranked.slice(0, topK);
}
