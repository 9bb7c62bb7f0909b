import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { extractBatch } from "../../../src/ingest/parse";

// DOCX and HTML parsers (mammoth, linkedom) are imported when a batch of that format is extracted,
// not at start-up: the batch still reads the file.
const minimalDocx = () =>
  zipSync({
    "[Content_Types].xml": strToU8(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    "_rels/.rels": strToU8(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    "word/document.xml": strToU8(
      '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Carrow Road is the home of Norwich City.</w:t></w:r></w:p></w:body></w:document>',
    ),
  });

describe("parsers loaded where they are used", () => {
  it("extracts an HTML file's text", async () => {
    const html =
      "<html><head><title>Norwich</title></head><body><article><h1>Norwich City</h1><p>Carrow Road is the home of Norwich City, in the east of England, since 1935.</p></article></body></html>";
    const batch = await extractBatch("html", strToU8(html), 0, 25);
    expect(batch.blocks.map((block) => block.text).join(" ")).toContain(
      "Carrow Road is the home of Norwich City",
    );
  });

  it("extracts a DOCX file's text", async () => {
    const batch = await extractBatch("docx", minimalDocx(), 0, 25);
    expect(batch.blocks.map((block) => block.text)).toContain("Carrow Road is the home of Norwich City.");
  });
});
