// A scanned letter as OCR software saves it: a page whose text layer is invisible (text render mode
// 3) and spaces out the letters of many words ("A l e t t e r from ..."), two spaces between words
// spaced out. Made at run time for the tests and the fidelity benchmark (never committed as a file).

/** The words of the letter, as a reader reads them: what search and the fidelity benchmark expect. */
export const LETTER_LINES = [
  "A letter from the Harbour Office to the residents of Quayside Terrace",
  "Dear residents, we are writing about the renovation of the eastern breakwater",
  "Construction begins in March and continues through the summer months",
  "Heavy vehicles will use the northern access road between eight and five",
  "Please keep the footpath beside the lighthouse clear of parked bicycles",
  "The harbour master will answer questions at the community hall every Thursday",
  "We apologise for the disruption and thank you for your patience",
  "Yours faithfully, the Harbour Office",
];

/** How the OCR layer writes a word: four letters or more spaced out, letter by letter. */
export const letterSpaced = (word: string): string =>
  /^\p{L}{4,}/u.test(word) ? word.replace(/\p{L}(?=\p{L})/gu, "$& ") : word;

/**
 * A one-page PDF whose invisible text layer holds `lines` (Helvetica), each word placed on its
 * own as OCR software places the words it found, and written by `spell`.
 */
export function letterPdf(lines: string[] = LETTER_LINES, spell = letterSpaced): Uint8Array {
  const escaped = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);
  const words = lines.flatMap((line, row) => {
    let x = 56;
    return line.split(" ").map((word) => {
      const spelled = spell(word);
      const placed = `1 0 0 1 ${x} ${760 - row * 16} Tm (${escaped(spelled)}) Tj`;
      x += spelled.length * 6 + 8;
      return placed;
    });
  });
  const content = ["BT /F1 11 Tf 3 Tr", ...words, "ET"].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1400 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  return textPdf(objects);
}

/** A PDF of `objects` (object n + 1 is `objects[n]`; the first is the catalog), all text, with its xref table. */
export function textPdf(objects: string[]): Uint8Array {
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}
