import type { Citation } from "./answer-stream";

export type AnswerSegment = { type: "text"; text: string } | { type: "citation"; citation: Citation };

/**
 * Splits an answer at its `[n]` markers, each becoming the citation with that index; a marker
 * with no such citation (yet: citations may arrive after the text) stays text.
 */
export function segmentAnswer(text: string, citations: readonly Citation[]): AnswerSegment[] {
  const byIndex = new Map(citations.map((citation) => [citation.index, citation]));
  const segments: AnswerSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
    const citation = byIndex.get(Number(match[1]));
    if (!citation) continue;
    if (match.index > last) segments.push({ type: "text", text: text.slice(last, match.index) });
    segments.push({ type: "citation", citation });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ type: "text", text: text.slice(last) });
  return segments;
}

/** The citations in the order of their numbers, one per index. */
export const sourcesOf = (citations: readonly Citation[]): Citation[] =>
  [...new Map(citations.map((citation) => [citation.index, citation])).values()].sort(
    (a, b) => a.index - b.index,
  );
