import htmlWriter from "mammoth/lib/writers/html-writer.js";
import { describe, expect, it } from "vitest";
import { BlockBuilder } from "../../../src/ingest/parse/block-builder";
import { addMammothHtml } from "../../../src/ingest/parse/docx-html";
import { HtmlTreeWriter, type MammothWriter } from "../../../src/ingest/parse/docx-html-tree";
import { DEFAULT_PARSE_LIMITS } from "../../../src/ingest/parse/types";

type Calls = (writer: Pick<MammothWriter, "open" | "close" | "text" | "selfClosing">) => void;

/** What mammoth writes for a document with every kind of block the DOCX walk reads. */
const everyBlock: Calls = (w) => {
  w.open("h1", {});
  w.text("Chapter & <one>");
  w.close("h1");
  w.open("p", {});
  w.text("Body ");
  w.open("strong", {});
  w.text("bold");
  w.close("strong");
  w.selfClosing("br", {});
  w.text("next line");
  w.open("sup", {});
  w.open("a", { href: "#footnote-1", id: "footnote-ref-1" });
  w.text("[1]");
  w.close("a");
  w.close("sup");
  w.close("p");
  w.open("ul", {});
  w.open("li", {});
  w.text("One");
  w.open("ol", {});
  w.open("li", {});
  w.text("Nested");
  w.close("li");
  w.close("ol");
  w.close("li");
  w.close("ul");
  w.open("table", {});
  w.open("thead", {});
  w.open("tr", {});
  w.open("th", {});
  w.open("p", {});
  w.text("Head");
  w.close("p");
  w.close("th");
  w.close("tr");
  w.close("thead");
  w.open("tr", {});
  w.open("td", {});
  w.text('Cell "1"');
  w.close("td");
  w.close("tr");
  w.close("table");
  w.open("ol", {});
  w.open("li", { id: "footnote-1" });
  w.open("p", {});
  w.text("A note. ");
  w.open("a", { href: "#footnote-ref-1" });
  w.text("↑");
  w.close("a");
  w.close("p");
  w.close("li");
  w.close("ol");
};

/** The blocks of the HTML the calls make: through linkedom from mammoth's string, and from `HtmlTreeWriter`. */
function blocksBothWays(calls: Calls) {
  const string = htmlWriter.writer({});
  calls(string);
  const fromString = new BlockBuilder(DEFAULT_PARSE_LIMITS);
  addMammothHtml(fromString, string.asString());
  const tree = new HtmlTreeWriter(() => htmlWriter.writer({}));
  calls(tree);
  const result = tree.asString();
  const fromTree = new BlockBuilder(DEFAULT_PARSE_LIMITS);
  addMammothHtml(fromTree, result);
  return { fromString: fromString.blocks, fromTree: fromTree.blocks, result, html: string.asString() };
}

describe("mammoth's HTML as a tree, without linkedom", () => {
  it("gives the very blocks linkedom gives of the string: headings, notes, lists, tables, breaks, escapes", () => {
    const { fromString, fromTree, result } = blocksBothWays(everyBlock);
    expect(typeof result).not.toBe("string");
    expect(fromTree).toEqual(fromString);
    expect(fromTree.map((block) => block.kind)).toEqual(["heading", "paragraph", "list", "table", "note"]);
    expect(fromTree[0]?.text).toBe("Chapter & <one>");
    expect(fromTree[1]?.text).toBe("Body bold next line");
  });

  it("gives mammoth's string where linkedom's parser would restructure the tree, or a tag is unknown", () => {
    const cases: Calls[] = [
      // A text box's paragraph inside a paragraph: htmlparser2 closes the outer one.
      (w) => {
        w.open("p", {});
        w.text("Outer");
        w.open("p", {});
        w.text("Inner");
        w.close("p");
        w.text(" tail");
        w.close("p");
      },
      // A row opened in a cell.
      (w) => {
        w.open("table", {});
        w.open("tr", {});
        w.open("td", {});
        w.open("tr", {});
        w.close("tr");
        w.close("td");
        w.close("tr");
        w.close("table");
      },
      // A void element opened with children, a tag mammoth's default style map never writes.
      (w) => {
        w.open("br", {});
        w.text("x");
        w.close("br");
      },
      (w) => {
        w.open("div", {});
        w.text("Quoted");
        w.close("div");
      },
    ];
    for (const calls of cases) {
      const { fromString, fromTree, result, html } = blocksBothWays(calls);
      expect(result).toBe(html);
      expect(fromTree).toEqual(fromString);
    }
  });
});
