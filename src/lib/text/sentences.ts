/** Longer "sentences" are tables or unpunctuated PDF text: cut them at line breaks or spaces. */
const MAX_SENTENCE_CHARS = 400;

// Built on first use: an ICU segmenter costs a cold isolate milliseconds that only answers need.
let segmenter: Intl.Segmenter | undefined;

// Hard-wrapped text would end a sentence at every line break, and footnote references right
// after a full stop ("fan.[2] He") confuse the segmenter. Segment a copy where both are spaces:
// it has the same length, so its offsets still cut the original.
const LONE_LINE_BREAK = /(?<!\n[ \t]*)\r?\n(?![ \t]*\r?\n)/g;
const FOOTNOTE_REFERENCE = /\[\d+\]/g;
// The segmenter also ends a sentence at an initial or a title before a name ("George W. Bush",
// "Dr. Smith"), which cut the name in two: their full stop is a space in the copy too.
const NAME_ABBREVIATION_STOP = /(?<![\p{L}\p{N}])(?:\p{Lu}|Mr|Mrs|Ms|Dr|Prof|St)\.(?=\s+\p{Lu})/gu;
// Footnote references around a sentence, as in Wikipedia text: not ours to cite.
const LEADING_REFERENCES = /^(?:\[\d+\]\s*)+/;
const TRAILING_REFERENCES = /(?<=[.!?]["')\]]?)(?:\s*\[\d+\])+$/;

/** Splits text into sentences, each an exact substring of it. */
export function splitSentences(text: string): string[] {
  const blank = (match: string) => " ".repeat(match.length);
  const unwrapped = text
    .replace(LONE_LINE_BREAK, blank)
    .replace(FOOTNOTE_REFERENCE, blank)
    .replace(NAME_ABBREVIATION_STOP, (abbreviation) => `${abbreviation.slice(0, -1)} `);
  const sentences: string[] = [];
  segmenter ??= new Intl.Segmenter("en", { granularity: "sentence" });
  for (const { index, segment } of segmenter.segment(unwrapped)) {
    for (const piece of capLength(text.slice(index, index + segment.length))) {
      const sentence = piece.trim().replace(LEADING_REFERENCES, "").replace(TRAILING_REFERENCES, "");
      if (sentence) sentences.push(sentence);
    }
  }
  return sentences;
}

function capLength(text: string): string[] {
  if (text.trim().length <= MAX_SENTENCE_CHARS) return [text];
  const lines = text.split("\n");
  if (lines.length > 1) return lines.flatMap(capLength);
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > MAX_SENTENCE_CHARS) {
    const cut = rest.lastIndexOf(" ", MAX_SENTENCE_CHARS);
    const end = cut > 0 ? cut : MAX_SENTENCE_CHARS;
    pieces.push(rest.slice(0, end));
    rest = rest.slice(end).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}
