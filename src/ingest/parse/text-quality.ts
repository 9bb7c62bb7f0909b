/**
 * Whether a page's extracted text is text at all. A PDF whose embedded fonts carry no usable
 * Unicode map still yields characters, one per glyph, but they are arbitrary (`! " # ! "$ Abstract
 * " % & % '`): indexing them would make a document look `ready` while nothing in it can be found,
 * or worse, be cited. Two signals, measured on the corpus (docs/ingestion.md, "Unreadable pages"):
 *
 * - word share: the share of whitespace-separated tokens that are words of a script (two letters or
 *   more, letters and marks only, apart from punctuation around them). Sound pages of the corpus
 *   score 0.60 (a 400-page manual full of section numbers) to 0.98; the garbled pages of
 *   TAMReview.pdf 0.03 to 0.32. Unspaced scripts (Chinese, Japanese, Thai) count a run of letters
 *   as one word.
 * - private-use share: characters from the Unicode private-use area or the replacement character,
 *   which fonts without a map also produce.
 */

export type UnreadableReason = "unmapped_glyphs" | "private_use";

export interface PageTextQuality {
  readable: boolean;
  reason?: UnreadableReason;
  /** Non-space characters on the page. */
  characters: number;
  wordShare: number;
  privateUseShare: number;
}

/** Under this many non-space characters a page is too short to judge (a title, a page number). */
const MIN_CHARACTERS_TO_JUDGE = 40;
/** Below this share of word tokens the text layer does not decode to words. */
const MIN_WORD_SHARE = 0.4;
/** Above this share of private-use characters the text is glyph codes, not text. */
const MAX_PRIVATE_USE_SHARE = 0.2;

const WORD = /^[\p{P}\p{S}]*\p{L}[\p{L}\p{M}'’-]*\p{L}[\p{P}\p{S}]*$/u;
const UNSPACED_RUN =
  /^[\p{P}]*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Hangul}]+/u;
const PRIVATE_USE = /[\uE000-\uF8FF\uFFFD]/gu;

/** Judges one page's text; pages too short to judge are readable. */
export function assessPageText(text: string): PageTextQuality {
  const compact = text.replace(/\s+/g, "");
  const characters = [...compact].length;
  const tokens = text.split(/\s+/).filter(Boolean);
  const words = tokens.filter((token) => WORD.test(token) || UNSPACED_RUN.test(token)).length;
  const wordShare = tokens.length > 0 ? words / tokens.length : 0;
  const privateUseShare = characters > 0 ? (compact.match(PRIVATE_USE)?.length ?? 0) / characters : 0;
  const quality = { characters, wordShare, privateUseShare };
  if (characters < MIN_CHARACTERS_TO_JUDGE) return { readable: true, ...quality };
  if (privateUseShare > MAX_PRIVATE_USE_SHARE) return { readable: false, reason: "private_use", ...quality };
  if (wordShare < MIN_WORD_SHARE) return { readable: false, reason: "unmapped_glyphs", ...quality };
  return { readable: true, ...quality };
}

/** Compacts page numbers into ranges: [2, 3, 4, 7] → "2–4, 7". */
export function pageRanges(pages: number[]): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(", ");
}

const WHY: Record<UnreadableReason, string> = {
  unmapped_glyphs:
    "the text layer does not decode to words (its fonts have no usable Unicode map), so the text cannot be read; OCR would be needed",
  private_use:
    "the text layer holds private-use glyph codes instead of characters, so the text cannot be read; OCR would be needed",
};

/**
 * One sentence per reason for the user: "pages 2–21: the text layer does not decode to words (…)".
 * Joined with "; " when pages fail for different reasons.
 */
export function unreadablePagesSentence(pages: { page: number; reason: UnreadableReason }[]): string {
  return (Object.keys(WHY) as UnreadableReason[])
    .map((reason) => {
      const numbers = pages.filter((entry) => entry.reason === reason).map((entry) => entry.page);
      if (numbers.length === 0) return "";
      return `${numbers.length === 1 ? "page" : "pages"} ${pageRanges(numbers)}: ${WHY[reason]}`;
    })
    .filter(Boolean)
    .join("; ");
}
