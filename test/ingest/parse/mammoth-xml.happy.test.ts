import { strFromU8, unzipSync } from "fflate";
import xml from "mammoth/lib/xml/index.js";
import xmlReader from "mammoth/lib/xml/reader.js";
import { describe, expect, it } from "vitest";
import { readMammothXml, routeMammothXmlThroughFastReader } from "../../../src/ingest/parse/mammoth-xml";
import { decodeXml } from "../../../src/ingest/parse/xml";
import { readCorpus } from "../../helpers/corpus";

// mammoth's own namespace map (lib/docx/office-xml-reader.js), abridged to what the corpus uses.
const NAMESPACES: Record<string, string> = {
  "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "r",
  "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": "wp",
  "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
  "http://schemas.openxmlformats.org/package/2006/content-types": "content-types",
  "http://schemas.openxmlformats.org/package/2006/relationships": "relationships",
  "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
  "urn:schemas-microsoft-com:vml": "v",
};

const CORPUS_DOCX = [
  "category-level.docx",
  "docx-tables.docx",
  "govdocs-014760-ihc-review.docx",
  "handbook-872p.docx",
  "testWORD_various.docx",
];

/** The tree as plain data: names, attributes in order, children. */
const plain = (tree: unknown) => JSON.parse(JSON.stringify(tree));

describe("mammoth's parts read without xmldom", () => {
  it("builds the very tree mammoth's own reader builds, for every XML part of the corpus DOCX", async () => {
    let parts = 0;
    for (const name of CORPUS_DOCX) {
      const files = unzipSync(await readCorpus(`docx/${name}`));
      for (const [part, bytes] of Object.entries(files)) {
        if (!/\.(xml|rels)$/.test(part)) continue;
        const text = decodeXml(bytes);
        const fast = readMammothXml(text, NAMESPACES);
        expect(fast, `${name} ${part} read by the fast reader`).toBeDefined();
        expect(plain(fast), `${name} ${part}`).toEqual(plain(await xmlReader.readString(text, NAMESPACES)));
        parts++;
      }
    }
    expect(parts).toBeGreaterThan(40);
  });

  it("reads what Word writes: namespaces by URI whatever the prefix, references, attributes' line breaks", async () => {
    const text =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
      '<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:o="urn:other">' +
      '<x:body><x:p o:id="a&#x41;&#66;" title="one\ttwo\r\nthree"><x:t xml:space="preserve"> A &amp; B &lt;&gt; &#x1F600;\r\n</x:t></x:p>' +
      '<p xmlns="urn:default"><x:br/></p></x:body></x:document>';
    const fast = readMammothXml(text, NAMESPACES);
    expect(plain(fast)).toEqual(plain(await xmlReader.readString(text, NAMESPACES)));
    expect(JSON.stringify(fast)).toContain(" A & B <> 😀\\n");
    expect(JSON.stringify(fast)).toContain('"{urn:default}p"');
    // Whitespace anywhere a tag allows it, single quotes, and names that end at "/" or ">".
    const spaced =
      '<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\n' +
      "<x:p  x:a = 'one'\tx:b=\"two\"\r\n><x:r\n/><x:t >x</x:t\t></x:p ><x:p/><x:p x:c='3'/></x:document >";
    expect(plain(readMammothXml(spaced, NAMESPACES))).toEqual(
      plain(await xmlReader.readString(spaced, NAMESPACES)),
    );
  });

  it("gives way to mammoth's own reader for anything but plain elements, text and predefined references", () => {
    const root = (inner: string) =>
      `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${inner}</w:document>`;
    for (const odd of [
      root("<w:p><!-- a comment --></w:p>"),
      root("<w:t><![CDATA[x]]></w:t>"),
      root("<w:t>&nbsp;</w:t>"),
      root("<w:t>a & b</w:t>"),
      root("<v:shape/>"),
      root("<w:p></w:r>"),
      root("<w:p w:val=unquoted/>"),
      root('<w:p a="1"a="2"/>'),
      root("<?pi here?>"),
      root("<w:p>"),
      root('<w:p w:val="a<b"/>'),
      root("<w:p w:val='a/>"),
      root("<w:p/ >"),
      root("<w:p w:val/>"),
      root("<w:p></w:pp>"),
    ]) {
      expect(readMammothXml(odd, NAMESPACES), odd).toBeUndefined();
    }
  });

  it("routes mammoth's reading of parts through the fast reader, odd parts still to xmldom", async () => {
    routeMammothXmlThroughFastReader();
    expect(xml.readString.fast).toBe(true);
    const styles = strFromU8(unzipSync(await readCorpus("docx/testWORD_various.docx"))["word/styles.xml"]!);
    const odd = styles.replace("<w:docDefaults>", "<!-- odd --><w:docDefaults>");
    for (const text of [styles, odd]) {
      expect(plain(await xml.readString(text, NAMESPACES))).toEqual(
        plain(await xmlReader.readString(text, NAMESPACES)),
      );
    }
    expect(readMammothXml(styles, NAMESPACES)).toBeDefined();
    expect(readMammothXml(odd, NAMESPACES)).toBeUndefined();
  });
});
