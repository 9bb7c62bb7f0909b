import type { DocumentFact } from "../../lib/text/document-question";
import { tokenize } from "../../lib/text/words";

/** Blocks of a title page read at most: the title, authors and affiliations come before this. */
const TITLE_PAGE_BLOCKS = 10;
/** A title is a short block: longer ones are prose. */
const MAX_TITLE_CHARS = 200;
/** An author list is mostly capitalised words ("Andreas Gal∗+, Brendan Eich∗, …"). */
const MIN_NAME_SHARE = 0.6;
const MIN_NAME_WORDS = 2;
// Where a title page ends: the abstract, or the first numbered section.
const BODY_START =
  /^(?:abstract|résumé|resumen|zusammenfassung|sommario|riassunto|samenvatting|resumo|\d+\.?\s+\p{Lu})/iu;
const INSTITUTION =
  /(?<!\p{L})(?:universit\p{L}*|institut\p{L}*|istituto|instituto|college|school|école|escuela|scuola|department|département|departamento|dipartimento|laborator\p{L}*|laboratoire|labs?|centre|center|zentrum|centro|corporation|inc|ltd|gmbh|sa|company|foundation|fondation|stiftung|academy|académie)(?!\p{L})/iu;
const DATE =
  /(?<!\d)(?:1[6-9]|20)\d{2}(?!\d)|(?<!\p{L})(?:january|february|march|april|may|june|july|august|september|october|november|december|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)(?!\p{L})/iu;
const CAPITALISED = /^\p{Lu}/u;

/** The blocks of a document's first chunk that come before its body, as the chunk holds them. */
function titlePageBlocks(firstChunk: string): string[] {
  const blocks: string[] = [];
  for (const block of firstChunk.split(/\n\s*\n/).map((text) => text.trim())) {
    if (!block) continue;
    if (BODY_START.test(block) || blocks.length >= TITLE_PAGE_BLOCKS) break;
    blocks.push(block);
  }
  return blocks;
}

/** Whether a block reads as a list of names: mostly capitalised words, more than one. */
function isNameList(block: string): boolean {
  const words = block.split(/[\s,;]+/).filter((word) => /\p{L}/u.test(word));
  const names = words.filter((word) => CAPITALISED.test(word)).length;
  return names >= MIN_NAME_WORDS && names >= words.length * MIN_NAME_SHARE && !INSTITUTION.test(block);
}

/**
 * The passages of a document's title page (its first chunk) that state `fact`, verbatim, title
 * page first: the title (its first block), the author list, the blocks naming institutions, or
 * the first that holds a date. Empty when the title page does not say.
 */
export function titlePageFacts(firstChunk: string, fact: DocumentFact): string[] {
  const blocks = titlePageBlocks(firstChunk);
  const [first] = blocks;
  if (fact === "title") return first && first.length <= MAX_TITLE_CHARS ? [first] : [];
  // The title is capitalised too ("Trace-based Just-in-Time Type Specialization…"): never the authors.
  const afterTitle = blocks.slice(1);
  if (fact === "authors") return afterTitle.filter(isNameList).slice(0, 1);
  if (fact === "affiliations") return afterTitle.filter((block) => INSTITUTION.test(block));
  return blocks.filter((block) => DATE.test(block) && tokenize(block).length > 0).slice(0, 1);
}
