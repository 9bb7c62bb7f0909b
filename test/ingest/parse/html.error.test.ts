import { describe, expect, it } from "vitest";
import { parseHtml } from "../../../src/ingest/parse/html";
import { DEFAULT_PARSE_LIMITS } from "../../../src/ingest/parse/types";
import { readCorpus } from "../../helpers/corpus";
import { encode } from "../../helpers/text";
import { parseErrorOf } from "./expect-parse-error";

describe("HTML failures", () => {
  // Readability recursing into the nesting would overflow the stack or outlast the test's timeout.
  it("refuses ~35k unclosed nested tags as hostile, before Readability recurses into them", async () => {
    const bytes = await readCorpus("bad/jsoup-fuzz-1695-deep-nesting.html");
    const started = Date.now();
    const error = parseErrorOf(() => parseHtml(bytes));
    const elapsed = Date.now() - started;
    console.log(`jsoup-fuzz-1695-deep-nesting.html: ParseError(${error.reason}) in ${elapsed} ms`);
    expect(error.reason).toBe("hostile");
    expect(error.message).toMatch(/nest/);
  });

  it("honours a lower maxNestingDepth", () => {
    const nested = `<html><body>${"<div>".repeat(40)}deep${"</div>".repeat(40)}</body></html>`;
    const bytes = encode(nested);
    expect(parseHtml(bytes).blocks.map((block) => block.text)).toEqual(["deep"]);
    expect(
      parseErrorOf(() => parseHtml(bytes, { ...DEFAULT_PARSE_LIMITS, maxNestingDepth: 30 })).reason,
    ).toBe("hostile");
  });

  it("stops once the text outgrows maxTextChars", async () => {
    const bytes = await readCorpus("html/wikipedia.html");
    const error = parseErrorOf(() => parseHtml(bytes, { ...DEFAULT_PARSE_LIMITS, maxTextChars: 5_000 }));
    expect(error.reason).toBe("too_large");
  });

  it("refuses a page without readable text", () => {
    const bytes = encode("<html><body><nav>Menu</nav><script>run()</script></body></html>");
    const error = parseErrorOf(() => parseHtml(bytes));
    expect(error.reason).toBe("empty");
    expect(error.message).toBe("the page has no readable text");
  });
});
