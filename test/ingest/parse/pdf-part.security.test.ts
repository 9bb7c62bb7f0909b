import { describe, expect, it } from "vitest";
import { MAX_PART_OBJECTS, MAX_XREF_ENTRIES, readPdfPart } from "../../../src/ingest/parse/pdf-part";
import { textPdf } from "../../helpers/letter-pdf";
import { parseErrorOfAsync } from "./expect-parse-error";

const reader = (bytes: Uint8Array) => ({
  size: bytes.length,
  read: async (offset: number, length: number) => bytes.slice(offset, offset + length),
});

const PAGE = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>";

describe("a large PDF built to trap the part reader", () => {
  it("refuses a page tree that leads back into itself on the way to the batch's pages", async () => {
    // The root counts 5 pages: one, then itself again.
    const file = textPdf([
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 5 >>",
      PAGE,
    ]);
    const error = await parseErrorOfAsync(readPdfPart(reader(file), 3, 3));
    expect(error.reason).toBe("hostile");
    expect(error.message).toMatch(/loops back on itself/);
  });

  it("refuses values nested pathologically deep", async () => {
    const deep = `${"[".repeat(300)}${"]".repeat(300)}`;
    const file = textPdf([
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /X ${deep} >> >>`,
    ]);
    const error = await parseErrorOfAsync(readPdfPart(reader(file), 1, 1));
    expect(error.reason).toBe("hostile");
  });

  it("refuses a page reaching more objects than a part may copy", async () => {
    const count = MAX_PART_OBJECTS + 1;
    const annots = Array.from({ length: count }, (_, i) => `${i + 4} 0 R`).join(" ");
    const file = textPdf([
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [${annots}] >>`,
      ...Array.from({ length: count }, () => "<< >>"),
    ]);
    const error = await parseErrorOfAsync(readPdfPart(reader(file), 1, 1));
    expect(error.reason).toBe("too_large");
    expect(error.message).toMatch(/more than 100000 objects/);
  });

  it("refuses cross-reference data declaring more objects than it holds in memory", async () => {
    const file = new TextDecoder().decode(
      textPdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE]),
    );
    const huge = new TextEncoder().encode(file.replace("/Size 4", `/Size ${MAX_XREF_ENTRIES + 1}`));
    const error = await parseErrorOfAsync(readPdfPart(reader(huge), 1, 1));
    expect(error.reason).toBe("too_large");
  });

  it("does not follow a cross-reference table cut into more subsections than any writer makes", async () => {
    const text = new TextDecoder().decode(
      textPdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE]),
    );
    // 20,000 empty subsections before the table's own: each would cost a read.
    const padded = new TextEncoder().encode(text.replace("xref\n", `xref\n${"0 0\n".repeat(20_000)}`));
    await expect(readPdfPart(reader(padded), 1, 1)).rejects.toThrow(/too many subsections/);
  });

  it("follows a /Prev chain that loops without looping", async () => {
    const text = new TextDecoder().decode(
      textPdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE]),
    );
    const xref = Number(/startxref\n(\d+)/.exec(text)![1]);
    const looped = new TextEncoder().encode(text.replace("/Root 1 0 R", `/Root 1 0 R /Prev ${xref}`));
    const part = await readPdfPart(reader(looped), 1, 1);
    expect(part).toMatchObject({ pageCount: 1, firstPage: 1, lastPage: 1 });
  });
});
