import type { Schemas } from "@/api/client";

export type Passage = Schemas["Passage"];
export type SourceUnit = Passage["unit"];

/**
 * What a citation's `page` counts, told by the file's extension until the passage (which knows
 * the document's format) is loaded: slides for presentations, pages for PDFs, none otherwise.
 */
export function unitOfFilename(filename: string): SourceUnit {
  const extension = filename.toLowerCase().split(".").at(-1);
  if (extension === "pptx") return "slide";
  if (extension === "pdf") return "page";
  return "section";
}

/**
 * Where the cited text lies in a passage: the excerpt inside the cited chunk when it is found there
 * (it is a verbatim sentence of it), else the whole chunk.
 */
export function highlightRange(
  passage: Pick<Passage, "text" | "cited">,
  excerpt: string,
): { start: number; end: number } {
  const { start, end } = passage.cited;
  const at = excerpt ? passage.text.indexOf(excerpt, start) : -1;
  if (at !== -1 && at + excerpt.length <= end) return { start: at, end: at + excerpt.length };
  const anywhere = excerpt ? passage.text.indexOf(excerpt) : -1;
  if (anywhere !== -1) return { start: anywhere, end: anywhere + excerpt.length };
  return { start, end };
}
