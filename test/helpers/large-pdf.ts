// PDFs made at run time to read in parts (src/ingest/parse/pdf-part.ts): pages of text, each with
// a picture of a given size, under a page tree of two levels whose inner nodes hand their pages
// /Resources, /MediaBox and /Rotate down, as large files made by office suites do.

/** The words of page `page`, as search finds them. */
export const largePdfPageWords = (page: number) =>
  `Page ${page} of the large survey reports the tides of the estuary.`;

/** A PDF writer: objects in any order (bytes or text), then its xref table and trailer (the benchmarks' too). */
export function pdfWriter() {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const offsets: number[] = [];
  const write = (part: string | Uint8Array) => {
    const bytes = typeof part === "string" ? new TextEncoder().encode(part) : part;
    chunks.push(bytes);
    length += bytes.length;
  };
  write("%PDF-1.4\n");
  return {
    object(id: number, ...body: (string | Uint8Array)[]) {
      offsets[id] = length;
      write(`${id} 0 obj\n`);
      for (const part of body) write(part);
      write("\nendobj\n");
    },
    /** A content stream object. */
    stream(id: number, content: string) {
      this.object(id, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    },
    /** An uncompressed 8-bit gray picture of `side` × `side` pixels. */
    grayImage(id: number, side: number, pixels: Uint8Array) {
      this.object(
        id,
        `<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixels.length} >>\nstream\n`,
        pixels,
        "\nendstream",
      );
    },
    finish(count: number, rootId = 1): Uint8Array {
      const xref = length;
      let table = `xref\n0 ${count}\n0000000000 65535 f \n`;
      for (let id = 1; id < count; id++) table += `${String(offsets[id] ?? 0).padStart(10, "0")} 00000 n \n`;
      write(`${table}trailer\n<< /Size ${count} /Root ${rootId} 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
      const out = new Uint8Array(length);
      let at = 0;
      for (const chunk of chunks) {
        out.set(chunk, at);
        at += chunk.length;
      }
      return out;
    },
  };
}

/**
 * A PDF of `pages` pages in groups of `perNode` under inner tree nodes, each page with a line of
 * text and an uncompressed picture of `pictureBytes` (painted on even pages only; odd pages take
 * their resources from the root, their size and rotation from their node).
 */
export function largePdf(pages: number, pictureBytes: number, perNode = 10): Uint8Array {
  const pdf = pdfWriter();
  const side = Math.max(1, Math.floor(Math.sqrt(pictureBytes)));
  const picture = new Uint8Array(side * side).map((_, i) => (i * 31) % 251);
  // Objects: 1 catalog, 2 root node, 3 font, 4 shared resources; then per node one object, per page three.
  const nodes = Math.ceil(pages / perNode);
  const nodeId = (node: number) => 5 + node;
  let next = 5 + nodes;
  for (let node = 0; node < nodes; node++) {
    const kids: string[] = [];
    const first = node * perNode;
    const last = Math.min(pages, first + perNode);
    for (let p = first; p < last; p++) {
      const [page, contents, image] = [next, next + 1, next + 2];
      next += 3;
      kids.push(`${page} 0 R`);
      // Even pages name their picture in resources of their own; odd ones inherit the root's (the
      // font only) and paint no picture (theirs is in the file, unused).
      const own = p % 2 === 1;
      const text = `BT /F1 11 Tf 56 700 Td (${largePdfPageWords(p + 1)}) Tj ET`;
      const stream = own ? `q 100 0 0 100 400 600 cm /Im1 Do Q ${text}` : text;
      const resources = own ? ` /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 ${image} 0 R >> >>` : "";
      pdf.object(page, `<< /Type /Page /Parent ${nodeId(node)} 0 R /Contents ${contents} 0 R${resources} >>`);
      pdf.stream(contents, stream);
      pdf.grayImage(image, side, picture);
    }
    // Every other node turns its pages: /Rotate and /MediaBox are inherited from here.
    pdf.object(
      nodeId(node),
      `<< /Type /Pages /Parent 2 0 R /Kids [${kids.join(" ")}] /Count ${kids.length} /MediaBox [0 0 612 792] /Rotate ${node % 2 === 0 ? 0 : 90} >>`,
    );
  }
  pdf.object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  pdf.object(
    2,
    `<< /Type /Pages /Kids [${Array.from({ length: nodes }, (_, node) => `${nodeId(node)} 0 R`).join(" ")}] /Count ${pages} /Resources 4 0 R >>`,
  );
  pdf.object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  pdf.object(4, "<< /Font << /F1 3 0 R >> >>");
  return pdf.finish(next, 1);
}
