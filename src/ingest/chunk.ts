import type { TextBlock } from "./parse/types";
import { countTokens } from "./tokens";

export interface ChunkOptions {
  /** Most tokens in a chunk. */
  size: number;
  /** Tokens of the previous chunk repeated at the start of the next one, within a section. */
  overlap: number;
}

export interface Chunk {
  /** 0-based order within the batch of blocks it was cut from. */
  position: number;
  text: string;
  pageStart: number | null;
  pageEnd: number | null;
  sectionPath: string[];
  tokenCount: number;
  /** Where each page starts in `text`, when the chunk spans several pages: [[0, 3], [1520, 4]]. */
  pageOffsets: [number, number][] | null;
}

/** A piece no larger than a chunk, cut from one block. */
interface Unit {
  text: string;
  tokens: number;
  page: number | null;
  sectionPath: string[];
  /** The first unit of a block is set apart by a blank line; later ones continue its text. */
  startsBlock: boolean;
  kind: TextBlock["kind"];
}

// Built on first use: an ICU segmenter costs a cold isolate milliseconds that only chunking needs.
let sentenceSegmenter: Intl.Segmenter | undefined;

function sentencesOf(text: string): string[] {
  sentenceSegmenter ??= new Intl.Segmenter(undefined, { granularity: "sentence" });
  return [...sentenceSegmenter.segment(text)].map((s) => s.segment.trim()).filter(Boolean);
}

/** A piece of text and its tokens, counted once. */
interface Piece {
  text: string;
  tokens: number;
}

const piece = (text: string): Piece => ({ text, tokens: countTokens(text) });

/** Splits text that is over `size` tokens: paragraphs first, then sentences, then words. */
function splitToFit(text: string, size: number): Piece[] {
  const tokens = countTokens(text);
  if (tokens <= size) return [{ text, tokens }];
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim());
  if (paragraphs.length > 1) return paragraphs.flatMap((p) => splitToFit(p.trim(), size));
  const sentences = sentencesOf(text);
  if (sentences.length > 1) return packPieces(sentences, size, " ");
  return splitWords(text, size);
}

/** Packs pieces (each within `size`) greedily into groups within `size`. */
function packPieces(pieces: string[], size: number, separator: string): Piece[] {
  const out: Piece[] = [];
  let current: string[] = [];
  let tokens = 0;
  // A group of one piece is that piece: its count stands; a joined group is counted again.
  const group = (): Piece =>
    current.length === 1 ? { text: current[0]!, tokens } : piece(current.join(separator));
  for (const { text, tokens: pieceTokens } of pieces.flatMap((p) => splitToFit(p, size))) {
    if (current.length > 0 && tokens + pieceTokens > size) {
      out.push(group());
      current = [];
      tokens = 0;
    }
    current.push(text);
    tokens += pieceTokens;
  }
  if (current.length > 0) out.push(group());
  return out;
}

// The last resort for a run with no sentence boundary (a table, a code block): cut between words,
// and inside a word only when one word alone is over the size (about 3 characters a token).
function splitWords(text: string, size: number): Piece[] {
  const words = text.split(/(?<=\s)/);
  const out: string[] = [];
  let current = "";
  let tokens = 0;
  for (const word of words) {
    const wordTokens = countTokens(word);
    if (wordTokens > size) {
      if (current.trim()) out.push(current.trim());
      for (let i = 0; i < word.length; i += size * 3) out.push(word.slice(i, i + size * 3));
      current = "";
      tokens = 0;
      continue;
    }
    if (tokens + wordTokens > size && current.trim()) {
      out.push(current.trim());
      current = "";
      tokens = 0;
    }
    current += word;
    tokens += wordTokens;
  }
  if (current.trim()) out.push(current.trim());
  return out.map(piece);
}

function toUnits(blocks: TextBlock[], size: number): Unit[] {
  return blocks.flatMap((block) =>
    splitToFit(block.text.trim(), size).map(({ text, tokens }, i) => ({
      text,
      tokens,
      page: block.page,
      sectionPath: block.sectionPath,
      startsBlock: i === 0,
      kind: block.kind,
    })),
  );
}

/** A title page's title and front matter (author, affiliation and e-mail lines): no body text yet. */
const isFrontMatter = (units: Unit[]): boolean =>
  units.some((unit) => unit.kind === "front_matter") &&
  units.every((unit) => unit.kind === "front_matter" || unit.kind === "heading");

const sameSection = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The headings all the units share: a chunk spanning two subsections belongs to their parent. */
function commonSection(units: Unit[]): string[] {
  const [first, ...rest] = units.map((u) => u.sectionPath);
  if (!first) return [];
  let length = first.length;
  for (const path of rest) {
    let i = 0;
    while (i < length && i < path.length && path[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
}

/** The tail of a chunk's units worth at most `overlap` tokens, repeated at the start of the next. */
function overlapTail(units: Unit[], overlap: number): Unit[] {
  const tail: Unit[] = [];
  let tokens = 0;
  for (let i = units.length - 1; i >= 0; i--) {
    const unit = units[i]!;
    if (tokens + unit.tokens <= overlap) {
      tail.unshift(unit);
      tokens += unit.tokens;
      continue;
    }
    // Part of a longer unit: its last sentences that fit.
    const sentences = sentencesOf(unit.text);
    const kept: string[] = [];
    for (let j = sentences.length - 1; j >= 0; j--) {
      const t = countTokens(sentences[j]!);
      if (tokens + t > overlap) break;
      kept.unshift(sentences[j]!);
      tokens += t;
    }
    if (kept.length > 0 && kept.length < sentences.length) {
      tail.unshift({ ...unit, text: kept.join(" "), tokens: countTokens(kept.join(" ")), startsBlock: true });
    }
    break;
  }
  return tail;
}

/** The units' text, and where each new page starts in it. */
function joinUnits(units: Unit[]): { text: string; pageOffsets: [number, number][] } {
  let text = "";
  const pageOffsets: [number, number][] = [];
  for (const [i, unit] of units.entries()) {
    if (i > 0) text += unit.startsBlock ? "\n\n" : " ";
    if (unit.page !== null && unit.page !== pageOffsets.at(-1)?.[1])
      pageOffsets.push([text.length, unit.page]);
    text += unit.text;
  }
  return { text, pageOffsets };
}

/**
 * Cuts blocks into chunks of at most `size` tokens: structure first (a new section starts a new
 * chunk), then paragraphs, sentences and words. Consecutive chunks of one section share about
 * `overlap` tokens. Every chunk keeps its page range and section path.
 */
export function chunkBlocks(blocks: TextBlock[], options: ChunkOptions): Chunk[] {
  const { size, overlap } = options;
  const chunks: Chunk[] = [];
  let current: Unit[] = [];
  let tokens = 0;
  let carried = 0;

  const close = () => {
    if (current.length === carried) return;
    const { text, pageOffsets } = joinUnits(current);
    const pages = current.map((u) => u.page).filter((p): p is number => p !== null);
    chunks.push({
      position: chunks.length,
      text,
      pageStart: pages.length ? Math.min(...pages) : null,
      pageEnd: pages.length ? Math.max(...pages) : null,
      sectionPath: commonSection(current.slice(carried)),
      tokenCount: countTokens(text),
      pageOffsets: pageOffsets.length > 1 ? pageOffsets : null,
    });
  };

  // A new section starts a new chunk, unless the current one is still too small to stand alone
  // (a chapter heading followed at once by its first subsection).
  const minimumStandalone = Math.floor(size / 4);
  // Units leave room for the overlap, so that a carried tail and the next unit fit in one chunk.
  for (const unit of toUnits(blocks, Math.max(size - overlap, Math.ceil(size / 2)))) {
    const last = current.at(-1);
    // The title page's front matter is a chunk of its own, however short, so that the abstract
    // after it is an ordinary chunk: search ranks front matter below body text (passage-makeup.ts).
    const newSection =
      last !== undefined &&
      ((!sameSection(last.sectionPath, unit.sectionPath) && tokens >= minimumStandalone) ||
        (isFrontMatter(current) && !isFrontMatter([unit])));
    // Separators add a token or two: keep a small margin under the size.
    if (current.length > 0 && (tokens + unit.tokens + 2 > size || newSection)) {
      close();
      current = newSection ? [] : overlapTail(current, overlap);
      tokens = current.reduce((sum, u) => sum + u.tokens + 2, 0);
      while (current.length > 0 && tokens + unit.tokens + 2 > size) tokens -= current.shift()!.tokens + 2;
      carried = current.length;
    }
    current.push(unit);
    tokens += unit.tokens + 2;
  }
  if (current.length > 0) close();
  return chunks;
}
