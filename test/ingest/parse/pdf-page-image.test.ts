import { describe, expect, it } from "vitest";
import { openPdf } from "../../../src/ingest/parse/pdf";
import { MAX_IMAGE_SIDE } from "../../../src/ingest/parse/pdf-page-image";
import { readCorpus } from "../../helpers/corpus";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function withPdf<T>(path: string, use: (pdf: Awaited<ReturnType<typeof openPdf>>) => Promise<T>) {
  const pdf = await openPdf(await readCorpus(path));
  try {
    return await use(pdf);
  } finally {
    await pdf.close();
  }
}

describe("pictures of scanned PDF pages", () => {
  it("names a scan's page as textless and images its one picture as a PNG within the size limit", async () => {
    await withPdf("pdf/loremipsum-flat.pdf", async (pdf) => {
      const { blocks, textlessPages } = await pdf.extractPages(1, 1);
      expect(blocks).toEqual([]);
      expect(textlessPages).toEqual([1]);

      const image = await pdf.scannedPageImage(1);
      expect(image).toBeDefined();
      // The 1700×2200 JPEG, shrunk to the longest side allowed, in proportion.
      expect(image!.height).toBe(MAX_IMAGE_SIDE);
      expect(image!.width).toBe(Math.round((1700 * MAX_IMAGE_SIDE) / 2200));
      expect([...image!.png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      const header = new DataView(image!.png.buffer, image!.png.byteOffset + 16, 8);
      expect([header.getUint32(0), header.getUint32(4)]).toEqual([image!.width, image!.height]);
    });
  });

  it("finds no textless page in a paper, and no scan on a page of text", async () => {
    await withPdf("pdf/tracemonkey.pdf", async (pdf) => {
      expect((await pdf.extractPages(1, 3)).textlessPages).toEqual([]);
      expect(await pdf.scannedPageImage(1)).toBeUndefined();
    });
  });
});
