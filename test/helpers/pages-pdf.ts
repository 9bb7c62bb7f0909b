// PDFs made at run time whose pages are text or scans, to see how ingestion batches them. A scan
// is a page with no text and one small greyscale picture painted over all of it, as a scanner
// saves a page (each page its own picture object); a text page holds a few lines naming it.
import { textPdf } from "./letter-pdf";

export type PageKind = "text" | "scan";

const PICTURE = { width: 24, height: 32 };

/** The words of text page `page`, as search finds them. */
export const textPageWords = (page: number) =>
  `Page ${page} of the harbour report describes the renovation of the eastern breakwater.`;

/** A PDF of `pages`, in order (`tag` is written on every text page, to tell two such files apart). */
export function pagesPdf(pages: PageKind[], tag = ""): Uint8Array {
  const objects: string[] = ["<< /Type /Catalog /Pages 2 0 R >>", "", FONT];
  const kids: number[] = [];
  pages.forEach((kind, index) => {
    const page = index + 1;
    const pageObject = objects.length + 1;
    kids.push(pageObject);
    if (kind === "text") {
      const lines = [textPageWords(page), `${tag} The works begin in March and end in the autumn.`.trim()];
      const text = lines.map((line, row) => `1 0 0 1 56 ${700 - row * 16} Tm (${line}) Tj`).join("\n");
      const content = `BT /F1 11 Tf\n${text}\nET`;
      objects.push(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${pageObject + 1} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
        stream(content),
      );
    } else {
      const content = "q 612 0 0 792 0 0 cm /Im1 Do Q";
      objects.push(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${pageObject + 1} 0 R /Resources << /XObject << /Im1 ${pageObject + 2} 0 R >> >> >>`,
        stream(content),
        picture(page),
      );
    }
  });
  objects[1] = `<< /Type /Pages /Kids [${kids.map((kid) => `${kid} 0 R`).join(" ")}] /Count ${kids.length} >>`;
  return textPdf(objects);
}

const FONT = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

const stream = (content: string) => `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;

/** A greyscale picture (hex-encoded, so the file stays text), its stripes set by the page number. */
function picture(page: number): string {
  const { width, height } = PICTURE;
  let hex = "";
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) hex += (x + y + page) % 3 === 0 ? "20" : "f0";
  }
  hex += ">";
  return (
    `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray ` +
    `/BitsPerComponent 8 /Filter /ASCIIHexDecode /Length ${hex.length} >>\nstream\n${hex}\nendstream`
  );
}
