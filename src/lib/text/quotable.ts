/**
 * What a passage of a document is besides its body text: a figure or table caption, page
 * furniture (a page number, a footnote that is a link, a copyright box, an arXiv stamp), mostly
 * symbols (chart and axis labels, garbled formulas), an entry of a reference list, or the title
 * page's front matter (author and affiliation lines, e-mail addresses, keywords). Such passages
 * stay searchable (and the title page still answers who wrote a document), but are never quoted as
 * the answer to a question about the content. Ingestion tags blocks with it (pdf.ts); the
 * extractive answerer checks every block and sentence it would quote with it, so that chunks
 * indexed before the tagging are read the same way.
 */
export type UnquotableReason = "caption" | "furniture" | "symbols" | "reference" | "front_matter";

// "Figure 2.", "Fig. 3:", "Table 1 —", "Tableau 4 :", "Abbildung 5.", "Table 1 Potentiodynamic…"
// in the supported languages, after a few stray chart glyphs a PDF may glue to it ('01"Figure 10.').
const CAPTION =
  /^[^\p{L}]{0,6}(?:figure|fig\.|table|tableau|tabla|tabella|tabelle|tabel|abbildung|abb\.|figura|afbeelding|listing|chart|graph)\s*\d+[a-z]?(?:\s*[.:—–-]|\s+(\S))/iu;
/** Whether `text` opens as a caption: its number then a stop, or a capital ("Table 1 Potentiodynamic…", not "Table 1 shows"). */
function isCaption(text: string): boolean {
  const match = CAPTION.exec(text);
  // Outside the case-insensitive pattern: under its flag, \p{Lu} matches any letter.
  return match !== null && (match[1] === undefined || /\p{Lu}/u.test(match[1]));
}
// A footnote that points elsewhere: one short line ending with a web address ("Mozilla — Firefox
// web browser - http://www.mozilla.com."). Prose or a list that mentions an address is not one.
const LINK_FOOTNOTE = /^[^\n]*(?:https?:\/\/|www\.)\S+\s*$/iu;
const MAX_FOOTNOTE_WORDS = 15;
const COPYRIGHT = /©|\bcopyright\b|\ball rights reserved\b|\bpermission to make digital or hard copies\b/iu;
// What any copyright line holds, looked for first: a case-insensitive Unicode pattern with word
// boundaries costs a block of prose about twenty times more.
const MAY_BE_COPYRIGHT = /©|copyright|rights reserved|permission to make/i;
// A copyright notice, not a paragraph that mentions copyright: how a whole block is judged.
const COPYRIGHT_NOTICE = /©|\ball rights reserved\b|\bpermission to make digital or hard copies\b/iu;
// "arXiv:2004.04906v3 [cs.CL] 30 Sep 2020", stamped in a preprint's margin.
const ARXIV_STAMP = /^\s*arXiv:\d{4}\.\d{4,5}/iu;
// "12", "Page 3", "3 / 14", "- 7 -".
const PAGE_NUMBER =
  /^\s*[-–—]?\s*(?:page|p\.|seite|página|pagina)?\s*\d{1,4}(?:\s*(?:\/|of|sur|von|de)\s*\d{1,4})?\s*[-–—]?\s*$/iu;
const VISIBLE = /\S/u;
const LETTER = /\p{L}/u;

/**
 * The visible characters of `text` and how many are letters, counted by code point. ASCII is read
 * by its codes (most of any text; matching every character allocated a string each).
 */
function letterCounts(text: string): { visible: number; letters: number } {
  let visible = 0;
  let letters = 0;
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 128) {
      if (code > 32 || (code !== 32 && (code < 9 || code > 13))) visible++;
      if ((code | 32) >= 97 && (code | 32) <= 122) letters++;
    } else if (VISIBLE.test(char)) {
      visible++;
      if (LETTER.test(char)) letters++;
    }
  }
  return { visible, letters };
}
/** Below this share of letters among its visible characters, a passage is symbols, not prose. */
export const MIN_QUOTABLE_LETTER_SHARE = 0.6;

// What a reference entry is made of: its number ("[12] A"), initials before a surname ("A. Gal",
// "C. W. Probst") or after it ("Davis, F. D."), where it appeared ("In Proceedings", "pages 1–12",
// "13(3), 319-340", "ACM Press"), the year that ends it ("2006.", "(1989)."), a web address.
const REFERENCE_SIGNALS = [
  /(?:^|\s)\[\d{1,3}\]\s*\p{Lu}/gu,
  /(?<![\p{L}\p{M}])\p{Lu}\.\s?(?:\p{Lu}\.\s?)*\p{Lu}\p{Ll}+|\p{Lu}[\p{Ll}'’-]+,\s\p{Lu}\.(?:\s?\p{Lu}\.)*/gu,
  /\bIn Proc(?:eedings|\.)|\bProceedings of\b|\bpages \d+\s*[–-]|\bpp\.\s*\d|\d+\s?\(\d+\)[,:]\s*\d+\s*[–-]\s*\d|\bJournal of\b|\bTransactions on\b|\b(?:Conference|Symposium|Workshop) on\b|\barXiv preprint\b|\bPress\b|\bdoi:|\bISBN\b/gu,
  /(?<!\d)(?:1[89]|20)\d{2}[a-z]?\)?\.(?=\s|$)/gu,
  /https?:\/\/\S+/gu,
];
/** Reference entries carry one of these signals every this many words or fewer; prose far fewer. */
const MAX_WORDS_PER_REFERENCE_SIGNAL = 12;
const MIN_REFERENCE_SIGNALS = 3;

/** Whether `text` reads as entries of a reference list (bibliography), by the density of their marks. */
export function isReferenceEntry(text: string): boolean {
  const signals = REFERENCE_SIGNALS.reduce((total, signal) => total + (text.match(signal)?.length ?? 0), 0);
  // Most prose stops here: its words are counted only when there are signals enough.
  if (signals < MIN_REFERENCE_SIGNALS) return false;
  const words = text.split(/\s+/).filter(Boolean).length;
  return signals * MAX_WORDS_PER_REFERENCE_SIGNAL >= words;
}

// The heading of a reference list in the supported languages, alone or glued to its first entry
// ("References Akari Asai, …").
const REFERENCES_HEADING =
  /^\s*(?:references|bibliography|works cited|literature cited|références(?: bibliographiques)?|bibliographie|literatur(?:verzeichnis)?|referencias|bibliografía|riferimenti(?: bibliografici)?|bibliografia|referências|literatuur|referenties)\s*(?:$|(?=\p{Lu}|\[))/iu;

/** Whether a block opens a reference list: its heading, possibly with its first entry. */
export const opensReferenceList = (text: string): boolean => REFERENCES_HEADING.test(text);

// The lines of a title page besides the title: keywords and classification lines, e-mail
// addresses, author lists ("Andreas Gal∗+, Brendan Eich∗, …").
const FRONT_MATTER_LINE =
  /^\s*(?:keywords|key words|index terms|categories and subject descriptors|general terms|acm reference format|mots[- ]cl[ée]s|schl[üu]sselw[öo]rter|palabras clave|parole chiave|palavras[- ]chave|trefwoorden)(?![\p{L}])/iu;
// An address, or a group of them ("{gal,brendan}@mozilla.com").
const EMAIL = /(?:\{[^}]*\}|[\p{L}\d._%+-]+)@[\p{L}\d-]+(?:\.[\p{L}\d-]+)+/gu;
// Marks that tie an author to an affiliation: "Gal∗+", "Shen1", "Min†", "( )".
const AFFILIATION_MARKS = /[\d∗*†‡§¶#$+]+|\(\s*\)/gu;
const NAME_WORD = /^\p{Lu}[\p{L}\p{M}\p{Sk}'’.-]*$/u;
/** An author list has at least this many names, and they make most of its comma-separated items. */
const MIN_AUTHOR_NAMES = 3;

/** Whether `text` is a list of people's names with their affiliation marks, not a sentence. */
function isAuthorList(text: string): boolean {
  if (/[.!?]\s*$/u.test(text)) return false;
  const items = text
    .replace(AFFILIATION_MARKS, " ")
    .split(/,|(?<!\p{L})and(?!\p{L})/u)
    .map((item) => item.trim())
    .filter(Boolean);
  const names = items.filter((item) => {
    const words = item.split(/\s+/);
    return words.length >= 2 && words.length <= 4 && words.every((word) => NAME_WORD.test(word));
  }).length;
  return names >= MIN_AUTHOR_NAMES && names >= items.length * 0.7;
}

/**
 * Whether `text` holds e-mail addresses among capitalised words only (an affiliation line: "Mozilla
 * Corporation {gal,brendan}@mozilla.com"), not a sentence that gives an address to write to.
 */
function isContactLine(text: string): boolean {
  // An address has an "@": the pattern costs a block of prose far more than this look.
  if (!text.includes("@") || !text.match(EMAIL)) return false;
  const words =
    text
      .replace(EMAIL, " ")
      .replace(AFFILIATION_MARKS, " ")
      .match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? [];
  return words.filter((word) => /^\p{Lu}/u.test(word)).length >= words.length * 0.6;
}

/**
 * Why `text` (a sentence, or with `block` a whole block) must not be quoted, or undefined when it
 * may be. A sentence that names copyright is furniture; a block only when it is a notice.
 */
export function unquotableReason(text: string, { block = false } = {}): UnquotableReason | undefined {
  if (isCaption(text)) return "caption";
  const footnote = LINK_FOOTNOTE.test(text) && text.split(/\s+/).length <= MAX_FOOTNOTE_WORDS;
  const copyright = MAY_BE_COPYRIGHT.test(text) && (block ? COPYRIGHT_NOTICE : COPYRIGHT).test(text);
  if (PAGE_NUMBER.test(text) || footnote || copyright || ARXIV_STAMP.test(text)) return "furniture";
  if (FRONT_MATTER_LINE.test(text) || isContactLine(text) || isAuthorList(text)) return "front_matter";
  if (opensReferenceList(text) || isReferenceEntry(text)) return "reference";
  const { visible, letters } = letterCounts(text);
  if (visible > 0 && letters < visible * MIN_QUOTABLE_LETTER_SHARE) return "symbols";
  return undefined;
}

// A list marker at the start of a line: a bullet glyph, a dash or an asterisk.
const LIST_MARKER = /^\s*(?:[•◦▪▫●○■□‣⁃∙*–-])\s+/u;

/** `text` without the list marker it opens with: an item is quoted as the sentence it is. */
export const withoutListMarker = (text: string): string => text.replace(LIST_MARKER, "");

/** A heading has at most this many words. */
const MAX_HEADING_WORDS = 20;

/**
 * Whether a block reads as a heading or a title: one line, no sentence's end, its longer words
 * capitalised ("Dense Passage Retrieval for Open-Domain Question Answering"). It names a topic but
 * states nothing: never an answer.
 */
export function looksLikeHeading(block: string): boolean {
  const text = block.trim();
  if (text.includes("\n") || /[.!?:;,]$/u.test(text) || text.split(/\s+/).length > MAX_HEADING_WORDS)
    return false;
  const words = text.match(/\p{L}[\p{L}\p{M}'’-]{3,}/gu) ?? [];
  return words.length > 0 && words.every((word) => /^\p{Lu}/u.test(word));
}

/**
 * Whether each block, in reading order, belongs to a reference list: it opens one, or it follows
 * the list's heading with no other heading since (entries split across blocks, "techniques, and
 * tools, 2006."), or it reads as entries on its own (a chunk that starts inside the list).
 */
export function referenceListBlocks(blocks: { text: string; heading: boolean }[]): boolean[] {
  let inList = false;
  return blocks.map(({ text, heading }) => {
    if (opensReferenceList(text)) inList = true;
    else if (heading) inList = false;
    return inList || isReferenceEntry(text);
  });
}

/**
 * The blocks of a source's text (blank-line separated, as chunks keep them) that may be quoted:
 * not a heading, not in a reference list, not a caption, furniture or front matter as a whole.
 * A block is judged whole, so that the second sentence of a caption or of an entry goes with it.
 */
export function quotableBlocks(text: string): string[] {
  const blocks = text
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter(Boolean);
  const headings = blocks.map(looksLikeHeading);
  const references = referenceListBlocks(blocks.map((block, i) => ({ text: block, heading: headings[i]! })));
  return blocks.filter(
    (block, i) => !headings[i] && !references[i] && unquotableReason(block, { block: true }) === undefined,
  );
}
