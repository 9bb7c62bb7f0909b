// The largest files the ingestion benchmark measures beside the corpus, made at run time (never
// committed): a 1,000-slide PPTX (the slides of testPPT_various2.pptx repeated), a 1,200-page text file and a
// 50 MB PDF (pages of text, each with a picture as a scan would have). The 872-page DOCX is the corpus's.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { pdfWriter } from "../test/helpers/large-pdf";

/** A PPTX of `slides` slides: the slides of `source` repeated, each a part of its own. */
export function repeatedSlidesPptx(source: string, slides: number): Uint8Array {
  const parts = unzipSync(new Uint8Array(readFileSync(source)));
  const text = (name: string) => strFromU8(parts[name]!);
  const originals = Object.keys(parts)
    .filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name))
    .sort((a, b) => Number(/(\d+)/.exec(a)![1]) - Number(/(\d+)/.exec(b)![1]));
  let presentation = text("ppt/presentation.xml");
  let rels = text("ppt/_rels/presentation.xml.rels");
  let types = text("[Content_Types].xml");
  const ids: string[] = [];
  for (let i = 1; i <= slides; i++) {
    const original = originals[(i - 1) % originals.length]!;
    const name = `slide_x${i}.xml`;
    parts[`ppt/slides/${name}`] = parts[original]!;
    const originalRels = `${original.replace("slides/", "slides/_rels/")}.rels`;
    // Notes pages point back at their own slide only: the copies keep their layout, not the notes.
    if (parts[originalRels]) {
      parts[`ppt/slides/_rels/${name}.rels`] = strToU8(
        text(originalRels).replace(/<Relationship[^>]*notesSlide[^>]*\/>/g, ""),
      );
    }
    rels = rels.replace(
      "</Relationships>",
      `<Relationship Id="rIdX${i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/${name}"/></Relationships>`,
    );
    types = types.replace(
      "</Types>",
      `<Override PartName="/ppt/slides/${name}" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/></Types>`,
    );
    ids.push(`<p:sldId id="${100000 + i}" r:id="rIdX${i}"/>`);
  }
  presentation = presentation.replace(
    /<p:sldIdLst>[\s\S]*?<\/p:sldIdLst>/,
    `<p:sldIdLst>${ids.join("")}</p:sldIdLst>`,
  );
  parts["ppt/presentation.xml"] = strToU8(presentation);
  parts["ppt/_rels/presentation.xml.rels"] = strToU8(rels);
  parts["[Content_Types].xml"] = strToU8(types);
  return zipSync(parts);
}

/** A text file of `pages` page equivalents (3,000 characters each) of varied prose. */
export function longText(pages: number): Uint8Array {
  const words =
    "ingestion batches every format within bounded queue messages so that memory stays flat while the isolate reads pages slides and paragraphs of large documents".split(
      " ",
    );
  let seed = 7;
  const paragraphs: string[] = [];
  let chars = 0;
  while (chars < pages * 3_000) {
    const sentence: string[] = [];
    for (let i = 0; i < 120; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      sentence.push(words[seed % words.length]!);
    }
    const paragraph = `${sentence.join(" ")}.`;
    paragraphs.push(paragraph);
    chars += paragraph.length + 2;
  }
  return new TextEncoder().encode(paragraphs.join("\n\n"));
}

/** A PDF of `pages` pages of text, each with an uncompressed picture of `pictureBytes` bytes. */
export function largePdf(pages: number, pictureBytes: number): Uint8Array {
  const pdf = pdfWriter();
  const side = Math.floor(Math.sqrt(pictureBytes));
  const picture = new Uint8Array(side * side).map((_, i) => (i * 31) % 251);
  const kids: string[] = [];
  // Objects: 1 catalog, 2 pages, 3 font; then per page: page, contents, picture.
  for (let p = 0; p < pages; p++) {
    const [page, contents, image] = [4 + p * 3, 5 + p * 3, 6 + p * 3];
    kids.push(`${page} 0 R`);
    const lines = Array.from(
      { length: 40 },
      (_, l) =>
        `(Page ${p + 1} line ${l + 1}: a large file read in bounded messages, page after page.) Tj T*`,
    );
    const stream = `q 200 0 0 200 300 50 cm /Im1 Do Q BT /F1 10 Tf 12 TL 50 760 Td ${lines.join(" ")} ET`;
    pdf.object(
      page,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contents} 0 R /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 ${image} 0 R >> >> >>`,
    );
    pdf.stream(contents, stream);
    pdf.grayImage(image, side, picture);
  }
  pdf.object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  pdf.object(2, `<< /Type /Pages /Kids [${kids.join(" ")}] /Count ${pages} >>`);
  pdf.object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  return pdf.finish(4 + pages * 3);
}

/**
 * A scanned PDF of `pages` Letter pages, each its own copy of the 200 dpi JPEG scan of `source`
 * (the corpus's loremipsum-flat.pdf, one picture and no text), as a scanner saves a document.
 */
export function scannedPdf(source: string, pages: number): Uint8Array {
  const file = new Uint8Array(readFileSync(source));
  const text = new TextDecoder("latin1").decode(file);
  const header =
    /\/Width (\d+) \/Height (\d+)[\s\S]*?\/Length (\d+)[\s\S]*?\/DCTDecode\s*>>\s*stream\r?\n/.exec(text);
  if (!header) throw new Error(`${source}: no JPEG picture found`);
  const [, width, height, jpegLength] = header;
  const start = header.index + header[0].length;
  const jpeg = file.subarray(start, start + Number(jpegLength));
  const pdf = pdfWriter();
  const kids: string[] = [];
  // Objects: 1 catalog, 2 pages; then per page: page, contents, picture.
  for (let p = 0; p < pages; p++) {
    const [page, contents, image] = [3 + p * 3, 4 + p * 3, 5 + p * 3];
    kids.push(`${page} 0 R`);
    const stream = "q 612 0 0 792 0 0 cm /Im1 Do Q";
    pdf.object(
      page,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contents} 0 R /Resources << /XObject << /Im1 ${image} 0 R >> >> >>`,
    );
    pdf.stream(contents, stream);
    pdf.object(
      image,
      `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
      jpeg,
      "\nendstream",
    );
  }
  pdf.object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  pdf.object(2, `<< /Type /Pages /Kids [${kids.join(" ")}] /Count ${pages} >>`);
  return pdf.finish(3 + pages * 3);
}

/** Writes the large files to `dir`: [format, path] pairs. */
export function writeLargeFiles(
  dir: string,
  corpus: string,
): [format: "pdf" | "pptx" | "txt", path: string][] {
  const files: ["pdf" | "pptx" | "txt", string, Uint8Array][] = [
    ["pptx", "deck-1000-slides.pptx", repeatedSlidesPptx(join(corpus, "pptx/testPPT_various2.pptx"), 1_000)],
    ["txt", "text-1200p.txt", longText(1_200)],
    ["pdf", "scan-like-50mb.pdf", largePdf(400, 125_000)],
  ];
  return files.map(([format, name, bytes]) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return [format, path];
  });
}
