/**
 * Whether a page's extracted text is text at all. A PDF whose embedded fonts carry no usable
 * Unicode map still yields characters, one per glyph, but they are arbitrary (`! " # ! "$ Abstract
 * " % & % '`): indexing them would make a document look `ready` while nothing in it can be found,
 * or worse, be cited. The signals, measured on the corpus's PDFs (docs/ingestion.md):
 *
 * - word share: among the tokens that hold a letter, the share that are words of a script (two
 *   letters or more, letters and marks only, punctuation around them allowed). Sound pages score
 *   0.72 (a 400-page manual of codes and section numbers) to 0.99; the garbled pages of
 *   TAMReview.pdf 0.19 at most. Numbers and codes ("$1-$9,999", "2.3.59") hold no letter and do not
 *   count, so tables of figures stay readable.
 * - alphanumeric share, for pages with too few letter-bearing tokens to judge words: glyph codes
 *   are mostly ASCII punctuation (garbled pages 0.41-0.71), figures and text mostly letters and
 *   digits (sound pages 0.89 and more).
 * - private-use share: characters of the Unicode private-use area or the replacement character,
 *   which fonts without a map also produce.
 */

export type UnreadableReason = "unmapped_glyphs" | "private_use";

/**
 * What the text check noted on a page: left out as unreadable, or indexed once the words its text
 * layer spaced out letter by letter were rejoined ("letter_spaced"). A document's warnings name them.
 */
export interface PageTextNote {
  page: number;
  reason: UnreadableReason | "letter_spaced";
}

/** The notes of pages left out as unreadable. */
export const unreadableOnly = (notes: PageTextNote[]) =>
  notes.filter((note): note is { page: number; reason: UnreadableReason } => note.reason !== "letter_spaced");

/** The sentence of the warning on pages indexed after their letter-spaced words were rejoined. */
export function letterSpacedPagesSentence(pages: number[]): string {
  return (
    `${pages.length === 1 ? "page" : "pages"} ${pageRanges(pages)}: the text layer spaces out the letters of ` +
    `words ("A l e t t e r"), as OCR of a scan may; they were rejoined and indexed, but spacing or words ` +
    "may differ from the page"
  );
}

export interface PageTextQuality {
  readable: boolean;
  reason?: UnreadableReason;
  /** Non-space characters on the page. */
  characters: number;
  wordShare: number;
  alphanumericShare: number;
  privateUseShare: number;
}

/** Under this many non-space characters a page is too short to judge (a title, a page number). */
const MIN_CHARACTERS_TO_JUDGE = 40;
/** With fewer letter-bearing tokens than this, the alphanumeric share judges instead of words. */
const MIN_LETTER_TOKENS_TO_JUDGE_WORDS = 10;
const MIN_WORD_SHARE = 0.45;
const MIN_ALPHANUMERIC_SHARE = 0.75;
const MAX_PRIVATE_USE_SHARE = 0.2;

const WORD = /^[\p{P}\p{S}]*\p{L}[\p{L}\p{M}'’-]*\p{L}[\p{P}\p{S}]*$/u;
const UNSPACED_RUN =
  /^[\p{P}]*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Hangul}]+/u;
const LETTER = /\p{L}/u;
const ALPHANUMERIC = /[\p{L}\p{N}]/gu;
const PRIVATE_USE = /[\uE000-\uF8FF\uFFFD]/gu;

/**
 * Letters of scripts written with spaces between words (Latin, Greek, Cyrillic), where a run of
 * single letters split by single spaces is a word spaced out ("A l e t t e r"), as OCR text layers
 * of scanned letters and headings set in tracking often have it. Scripts whose words may be one
 * character (Han, Hangul...) are left alone.
 */
const SPACED_LETTER = "[\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}]";
const SPACED_OUT_PASSAGE = new RegExp(
  `(?<![\\p{L}\\p{M}])${SPACED_LETTER}(?: +${SPACED_LETTER})+(?![\\p{L}\\p{M}])`,
  "gu",
);
/** Fewer letters than this spaced out are initials or variables ("U S A", "x y z"), left as they are. */
const MIN_SPACED_OUT_LETTERS = 4;

/** Longer than any word: letters spaced out this far without a wider gap are not one word. */
const MAX_SPACED_OUT_WORD = 24;

/**
 * Whether `word` runs through the alphabet ("ABCD", "fghij"): the glyph codes of a font without a
 * Unicode map come out so ("@ A B C D E F"), and must not be mistaken for words spaced out.
 */
function runsThroughAlphabet(word: string): boolean {
  let ascending = 1;
  for (let i = 1; i < word.length; i++) {
    ascending = word.charCodeAt(i) === word.charCodeAt(i - 1) + 1 ? ascending + 1 : 1;
    if (ascending >= 4) return true;
  }
  return false;
}

/**
 * Rejoins the words a text layer spaced out letter by letter ("A l e t t e r" → "Aletter",
 * "W e  a r e" → "We are": two spaces or more end a word), four letters or more in a row, each
 * alone. Glyph codes running through the alphabet stay as they are. `runs` counts the passages rejoined.
 */
export function rejoinLetterSpaced(text: string): { text: string; runs: number } {
  let runs = 0;
  const rejoined = text.replace(SPACED_OUT_PASSAGE, (passage) => {
    if (passage.replace(/ /g, "").length < MIN_SPACED_OUT_LETTERS) return passage;
    const words = passage.split(/ {2,}/).map((word) => word.replace(/ /g, ""));
    if (words.some((word) => word.length > MAX_SPACED_OUT_WORD || runsThroughAlphabet(word))) return passage;
    runs++;
    return words.join(" ");
  });
  return { text: rejoined, runs };
}

/** Code points of `text`, as `[...text].length` counts them (a lone surrogate is one), without the array. */
function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++, count++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return count;
}

/** Judges one page's text; pages too short to judge are readable. */
export function assessPageText(text: string): PageTextQuality {
  const compact = text.replace(/\s+/g, "");
  const characters = codePoints(compact);
  const letterTokens = text.split(/\s+/).filter((token) => LETTER.test(token));
  const words = letterTokens.filter((token) => WORD.test(token) || UNSPACED_RUN.test(token)).length;
  const share = (count: number, of: number) => (of > 0 ? count / of : 0);
  const quality = {
    characters,
    wordShare: share(words, letterTokens.length),
    alphanumericShare: share(compact.match(ALPHANUMERIC)?.length ?? 0, characters),
    privateUseShare: share(compact.match(PRIVATE_USE)?.length ?? 0, characters),
  };
  if (characters < MIN_CHARACTERS_TO_JUDGE) return { readable: true, ...quality };
  if (quality.privateUseShare > MAX_PRIVATE_USE_SHARE)
    return { readable: false, reason: "private_use", ...quality };
  const decodes =
    letterTokens.length >= MIN_LETTER_TOKENS_TO_JUDGE_WORDS
      ? quality.wordShare >= MIN_WORD_SHARE
      : quality.alphanumericShare >= MIN_ALPHANUMERIC_SHARE;
  return decodes
    ? { readable: true, ...quality }
    : { readable: false, reason: "unmapped_glyphs", ...quality };
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

// These pages cannot be imaged inside a Worker (drawing their glyphs takes a canvas), so even a
// vision model cannot read them: the sentence says what OCR there is, and what it reads.
const OCR_NOTE =
  "OCR would be needed, from a rendering of the page that a Worker cannot draw (a vision model, VISION_MODEL, reads scanned pages only)";

const WHY: Record<UnreadableReason, string> = {
  unmapped_glyphs: `the text layer does not decode to words (its fonts have no usable Unicode map), so the text cannot be read; ${OCR_NOTE}`,
  private_use: `the text layer holds private-use glyph codes instead of characters, so the text cannot be read; ${OCR_NOTE}`,
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
