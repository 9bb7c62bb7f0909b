import { describe, expect, it } from "vitest";
import { DEFAULT_PARSE_LIMITS, ParseError } from "../../../src/ingest/parse/types";
import { decodeXml, findAll, parseXml, scanXml, textOf, withoutDoctype } from "../../../src/ingest/parse/xml";
import { ZipArchive } from "../../../src/ingest/parse/zip";
import { readCorpus } from "../../helpers/corpus";

async function corpusPart(file: string, part: string): Promise<string> {
  return decodeXml(ZipArchive.open(await readCorpus(file)).read(part));
}

function parseFailure(text: string, limits = DEFAULT_PARSE_LIMITS): ParseError {
  try {
    parseXml(text, limits);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error("expected a ParseError");
}

describe("XML reading", () => {
  it("ends a scan whose handler has no close callback (it looped forever on the first closing tag)", () => {
    const opened: string[] = [];
    const text: string[] = [];
    scanXml("<a><b>hi</b><c>there</a><d>", DEFAULT_PARSE_LIMITS, {
      open: (name) => opened.push(name),
      text: (value) => text.push(value),
    });
    expect(opened).toEqual(["a", "b", "c", "d"]);
    expect(text).toEqual(["hi", "there"]);
  });

  it("reads a billion-laughs part as its literal text, expanding nothing", async () => {
    const part = await corpusPart("bad/poc-xmlbomb.xlsx", "xl/sharedStrings.xml");
    expect(part).toContain("<!ENTITY a5");
    const root = parseXml(part, DEFAULT_PARSE_LIMITS);
    expect(root.name).toBe("sst");
    expect(textOf(root)).toBe("test123");
  });

  it("drops an external entity without fetching it and keeps the rest of the text", async () => {
    const part = await corpusPart("bad/ExternalEntityInText.docx", "word/document.xml");
    expect(part).toContain('<!ENTITY testent SYSTEM "http://poi.apache.org/">');
    const root = parseXml(part, DEFAULT_PARSE_LIMITS);
    const text = findAll(root, "w:t").map(textOf).join("");
    expect(text).toBe('Here should not be the POI web site: ""');
  });

  it("strips a DOCTYPE and the entity references it declared before handing a part to another parser", async () => {
    const part = await corpusPart("bad/ExternalEntityInText.docx", "word/document.xml");
    const stripped = withoutDoctype(part);
    expect(stripped).not.toContain("<!DOCTYPE");
    expect(stripped).not.toContain("&testent;");
    expect(stripped).toContain("Here should not be the POI web site: &quot;&quot;");
    const plain = await corpusPart("docx/testWORD_various.docx", "word/document.xml");
    expect(withoutDoctype(plain)).toBe(plain);
  });

  it("reports names with their namespace's conventional prefix, whatever the file declared", () => {
    const root = parseXml(
      '<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body><x:p><x:r><x:t>Hi &amp; bye &#x263A;</x:t></x:r></x:p></x:body></x:document>',
      DEFAULT_PARSE_LIMITS,
    );
    expect(root.name).toBe("w:document");
    expect(textOf(findAll(root, "w:t")[0]!)).toBe("Hi & bye ☺");
  });

  it("refuses elements nested deeper than maxNestingDepth", () => {
    const deep = `${"<a>".repeat(600)}text${"</a>".repeat(600)}`;
    const error = parseFailure(deep);
    expect(error.reason).toBe("hostile");
    expect(parseXml(`${"<a>".repeat(500)}text${"</a>".repeat(500)}`, DEFAULT_PARSE_LIMITS).name).toBe("a");
  });

  it("refuses a part holding more text than maxTextChars", () => {
    const error = parseFailure(`<a>${"x".repeat(101)}</a>`, { ...DEFAULT_PARSE_LIMITS, maxTextChars: 100 });
    expect(error.reason).toBe("too_large");
  });

  it("tolerates unclosed and stray tags", () => {
    const root = parseXml("<a><b>one</c><d>two</a> tail", DEFAULT_PARSE_LIMITS);
    expect(textOf(root)).toBe("onetwo");
  });
});
