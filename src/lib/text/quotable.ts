/**
 * What a passage of a document is besides its body text: a figure or table caption, page
 * furniture (a page number, a footnote that is a link, a copyright box), or mostly symbols (chart and axis
 * labels, garbled formulas). Such passages stay searchable, but are never quoted as an answer.
 * Ingestion tags blocks with it (pdf.ts); the extractive answerer checks every sentence it would
 * quote with it, so that chunks indexed before the tagging are read the same way.
 */
export type UnquotableReason = "caption" | "furniture" | "symbols";

// "Figure 2.", "Fig. 3:", "Table 1 —", "Tableau 4 :", "Abbildung 5." in the supported languages.
const CAPTION =
  /^\s*(?:figure|fig\.|table|tableau|tabla|tabella|tabelle|tabel|abbildung|abb\.|figura|afbeelding|listing|chart|graph)\s*\d+[a-z]?\s*[.:—–-]/iu;
// A footnote that points elsewhere: one short line ending with a web address ("Mozilla — Firefox
// web browser - http://www.mozilla.com."). Prose or a list that mentions an address is not one.
const LINK_FOOTNOTE = /^[^\n]*(?:https?:\/\/|www\.)\S+\s*$/iu;
const MAX_FOOTNOTE_WORDS = 15;
const COPYRIGHT = /©|\bcopyright\b|\ball rights reserved\b|\bpermission to make digital or hard copies\b/iu;
// "12", "Page 3", "3 / 14", "- 7 -".
const PAGE_NUMBER =
  /^\s*[-–—]?\s*(?:page|p\.|seite|página|pagina)?\s*\d{1,4}(?:\s*(?:\/|of|sur|von|de)\s*\d{1,4})?\s*[-–—]?\s*$/iu;
const VISIBLE = /\S/gu;
const LETTER = /\p{L}/gu;
/** Below this share of letters among its visible characters, a passage is symbols, not prose. */
export const MIN_QUOTABLE_LETTER_SHARE = 0.6;

/** Why `text` (a sentence or a block) must not be quoted, or undefined when it may be. */
export function unquotableReason(text: string): UnquotableReason | undefined {
  if (CAPTION.test(text)) return "caption";
  const footnote = LINK_FOOTNOTE.test(text) && text.split(/\s+/).length <= MAX_FOOTNOTE_WORDS;
  if (PAGE_NUMBER.test(text) || footnote || COPYRIGHT.test(text)) return "furniture";
  const visible = text.match(VISIBLE)?.length ?? 0;
  if (visible > 0 && (text.match(LETTER)?.length ?? 0) < visible * MIN_QUOTABLE_LETTER_SHARE)
    return "symbols";
  return undefined;
}

// A list marker at the start of a line: a bullet glyph, a dash or an asterisk.
const LIST_MARKER = /^\s*(?:[•◦▪▫●○■□‣⁃∙*–-])\s+/u;

/** `text` without the list marker it opens with: an item is quoted as the sentence it is. */
export const withoutListMarker = (text: string): string => text.replace(LIST_MARKER, "");
