import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { parseHtml } from "../../../src/ingest/parse/html";
import { textOf } from "../../helpers/blocks";
import { readCorpus } from "../../helpers/corpus";
import { encode } from "../../helpers/text";

const wordTokens = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Token-level F1: lowercased word tokens, overlap counted as a multiset. */
function tokenF1(extracted: string, expected: string): number {
  const remaining = new Map<string, number>();
  for (const token of wordTokens(expected)) remaining.set(token, (remaining.get(token) ?? 0) + 1);
  const extractedTokens = wordTokens(extracted);
  let overlap = 0;
  for (const token of extractedTokens) {
    const left = remaining.get(token) ?? 0;
    if (left > 0) {
      overlap++;
      remaining.set(token, left - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / extractedTokens.length;
  const recall = overlap / wordTokens(expected).length;
  return (2 * precision * recall) / (precision + recall);
}

describe("parseHtml", () => {
  it.each(["wikipedia", "bbc-1"])(
    "keeps the main content of %s.html (token F1 against Readability's expected text)",
    async (name) => {
      const started = Date.now();
      const document = parseHtml(await readCorpus(`html/${name}.html`));
      const elapsed = Date.now() - started;
      const expectedHtml = new TextDecoder().decode(await readCorpus(`html/expected/${name}.expected.html`));
      const expected = parseHTML(`<html><body>${expectedHtml}</body></html>`).document.body.textContent ?? "";
      const f1 = tokenF1(textOf(document.blocks), expected);
      console.log(
        `${name}.html: token F1 ${f1.toFixed(4)} against ${name}.expected.html, parsed in ${elapsed} ms`,
      );
      expect(f1).toBeGreaterThanOrEqual(0.8);
    },
  );

  it("keeps headings as section paths and table rows (wikipedia.html)", async () => {
    const { blocks, title } = parseHtml(await readCorpus("html/wikipedia.html"));
    expect(title).toContain("Mozilla");
    const controversy = blocks.find((block) =>
      block.text.startsWith("On March 24, 2014, Mozilla promoted Brendan Eich"),
    );
    expect(controversy?.sectionPath).toEqual(["History[edit]", "Eich CEO promotion controversy[edit]"]);
    const infobox = blocks.find((block) => block.kind === "table" && block.text.startsWith("Industry |"));
    expect(infobox?.text.split("\n")).toContain("Founded | February 28, 1998; 18 years ago");
    // Page chrome around the article is gone.
    expect(textOf(blocks)).not.toContain("Navigation menu");
    expect(textOf(blocks)).not.toContain("Privacy policy");
  });

  it("drops script content (isw-with-scripts.html)", async () => {
    const { blocks } = parseHtml(await readCorpus("html/isw-with-scripts.html"));
    const text = textOf(blocks);
    expect(text).toContain("Belarusian forces remain unlikely to attack Ukraine");
    for (const script of [
      "switchTo5x",
      "GoogleAnalyticsObject",
      "Drupal.settings",
      "jQuery",
      "facebook-jssdk",
    ]) {
      expect(text).not.toContain(script);
    }
  });

  it("reads a bare fragment", () => {
    const { blocks } = parseHtml(
      encode("<h2>Notes</h2><p>First <b>point</b>.</p><ul><li>one</li><li>two</li></ul>"),
    );
    expect(blocks.map((block) => [block.kind, block.sectionPath.join(" > "), block.text])).toEqual([
      ["heading", "", "Notes"],
      ["paragraph", "Notes", "First point."],
      ["list", "Notes", "one\ntwo"],
    ]);
  });

  it("falls back to the body without page chrome when Readability finds no visible article", () => {
    const html = `<html><head><title>App</title><style>p { color: red }</style></head><body>
      <nav>Home | About</nav><header>Site banner</header>
      <div hidden><h1>Release notes</h1><p>Version 2 adds search.</p></div>
      <form><label>Subscribe</label></form><footer>Copyright</footer><script>track()</script></body></html>`;
    const document = parseHtml(encode(html));
    expect(document.title).toBe("App");
    expect(document.blocks.map((block) => block.text)).toEqual(["Release notes", "Version 2 adds search."]);
  });
});
