// What search ranks first on papers: the body passage that answers a question, above the title
// page's front matter, a reference list or chart labels that share its words; those stay
// searchable, a search for an author's name or a cited title still finds them, and a hit says what
// it is and shows its readable text rather than glyphs.
import { describe, expect, it } from "vitest";
import { search, uploadCorpus, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant } from "../helpers/tenants";

describe("search ranking on papers", async () => {
  const tenant = await createTenant();
  const collection = await createCollection(tenant);
  for (const path of ["pdf/tracemonkey.pdf", "pdf/dpr-paper-multi-column.pdf"]) {
    const paper = await uploadCorpus(tenant, collection.id, path);
    expect((await waitForDocument(tenant, paper.id, 120_000)).status).toBe("ready");
  }
  const isTitlePage = (text: string) => text.includes("Andreas Gal") || text.includes("Vladimir Karpukhin");

  it("ranks the body passage that answers above the title page that shares the question's words", async () => {
    const both = ["hybrid", "keyword"];
    for (const [question, modes] of [
      ["How does TraceMonkey record traces?", both],
      ["How are nested loops handled?", both],
      ["How is the dense passage retriever trained?", both],
      ["How does DPR compare to BM25 retrieval accuracy?", both],
      // Every word of it is in the title: bm25 alone still puts the short title page first.
      ["What is type specialization in a trace?", ["hybrid"]],
    ] as const) {
      for (const mode of modes) {
        const [best] = await search(tenant, question, { mode, top_k: 10 });
        expect(isTitlePage(best!.text), `${question} (${mode}): ${best!.text.slice(0, 80)}`).toBe(false);
        expect(best!.kind, question).toBe("body");
      }
    }
  });

  it("ranks body prose above passages that are mostly chart labels, and shows a hit's readable text", async () => {
    const [best] = await search(tenant, "What speedup does TraceMonkey achieve on SunSpider?");
    expect(best!.text).toContain("SunSpider");
    expect(best!.kind).toBe("body");
    expect(best!.text).not.toMatch(/#3\$4/u);
    // A body passage led by a figure's glyphs ("6/J/27+*?:#0%1$23#") shows its caption and prose.
    const figure = (await search(tenant, "fraction of time spent on major VM activities")).find((hit) =>
      hit.text.includes("Figure 12."),
    );
    expect(figure!.text.slice(0, 40)).toMatch(/[#$%]{1}.*[#$%]/u);
    expect(figure!.excerpt.slice(0, 80)).toMatch(/^[\p{L}(]/u);
    expect(figure!.excerpt).toContain("speedup vs. interpreter is shown in parentheses");
    expect(figure!.excerpt).not.toContain("6/J/27");
  });

  it("still finds the title page for an author's name and the reference list for a cited title", async () => {
    for (const author of ["Andreas Gal", "Vladimir Karpukhin", "Brendan Eich"]) {
      const [best] = await search(tenant, author);
      expect(best!.text, author).toContain(author);
      expect(best!.page, author).toBe(1);
      expect(best!.kind, author).toBe("front_matter");
      expect(best!.excerpt, author).toBe(best!.text);
    }
    const cited = await search(tenant, "Dynamo: a transparent dynamic optimization system");
    expect(cited.map((hit) => hit.kind)).toContain("reference");
    const [latent] = await search(
      tenant,
      "Latent retrieval for weakly supervised open domain question answering",
    );
    expect(latent!.text).toContain("Latent retrieval for weakly supervised open domain question answering");
  });
});
