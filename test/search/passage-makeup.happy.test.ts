// What a chunk is made of, read from its text (blocks apart by a blank line), and the ranking it
// weighs: body prose keeps its score, front matter, reference entries and chart labels keep less.
import { describe, expect, it } from "vitest";
import { passageMakeup, rankByBodyShare } from "../../src/services/search/passage-makeup";

const TITLE_PAGE = [
  "Trace-based Just-in-Time Type Specialization for Dynamic Languages",
  "Andreas Gal∗+, Brendan Eich∗, Mike Shaver∗, David Anderson∗, David Mandelin∗",
  "Mozilla Corporation∗ {gal,brendan,shaver,danderson,dmandelin}@mozilla.com",
].join("\n\n");
const BODY =
  "When a side exit becomes hot, TraceMonkey starts a new branch trace from that point and patches the side exit to jump directly to that trace. In this way, a single trace expands on demand to a single-entry, multiple-exit trace tree.";
const GLYPHS = "6/J/27+*?:#0%1$23#\n\n=<6>?J+.:=/&%#0$1C23#\n\n=<6>?J+@:=<:#0(1C23#";
const ENTRIES = [
  "Kenton Lee, Ming-Wei Chang, and Kristina Toutanova. 2019. Latent retrieval for weakly supervised open domain question answering. In Association for Computational Linguistics (ACL), pages 6086–6096.",
  "Yankai Lin, Haozhe Ji, Zhiyuan Liu, and Maosong Sun. 2018. Denoising distantly supervised open-domain question answering. In Association for Computational Linguistics (ACL), pages 1736–1745.",
].join("\n\n");

describe("a chunk's makeup", () => {
  it("reads body prose as body, whole", () => {
    expect(passageMakeup(BODY)).toEqual({ asideShare: 0, prior: 1, kind: "body", readable: BODY });
  });

  it("reads a title page's author and affiliation lines as front matter, its title left out", () => {
    const makeup = passageMakeup(TITLE_PAGE);
    expect(makeup).toMatchObject({ asideShare: 1, kind: "front_matter", readable: TITLE_PAGE });
    expect(makeup.prior).toBeCloseTo(0.25);
  });

  it("reads entries as a reference list when the chunk's section is one, though each alone is not", () => {
    expect(passageMakeup(ENTRIES).kind).toBe("body");
    const makeup = passageMakeup(ENTRIES, "References");
    expect(makeup).toMatchObject({ asideShare: 1, kind: "reference" });
    expect(makeup.prior).toBeCloseTo(0.5);
  });

  it("leaves chart glyphs out of the readable text and weighs a mixed chunk by its shares", () => {
    const makeup = passageMakeup(`${GLYPHS}\n\n${BODY}`);
    expect(makeup.readable).toBe(BODY);
    expect(makeup.kind).toBe("body");
    expect(makeup.asideShare).toBeGreaterThan(0.1);
    expect(makeup.prior).toBeCloseTo(1 - 0.75 * makeup.asideShare);
    expect(passageMakeup(GLYPHS)).toMatchObject({ kind: "symbols", readable: "" });
  });
});

describe("ranking by body share", () => {
  const hit = (id: string, text: string, score: number, section: string | null = null) => ({
    id,
    text,
    section,
    score,
  });

  it("puts body prose that matches almost as well above the title page, and keeps the top K only", () => {
    const ranked = rankByBodyShare(
      [
        hit("title", TITLE_PAGE, 1),
        hit("body", BODY, 0.6),
        hit("glyphs", GLYPHS, 0.9),
        hit("other", BODY, 0.1),
      ],
      3,
    );
    expect(ranked.map((each) => each.id)).toEqual(["body", "title", "glyphs"]);
    expect(ranked[1]!.score).toBeCloseTo(0.25);
  });

  it("ranks as weighing every hit would, reading only those that can reach the top K", () => {
    const texts = [BODY, TITLE_PAGE, GLYPHS, ENTRIES, `${GLYPHS}\n\n${BODY}`];
    const hits = Array.from({ length: 60 }, (_, i) =>
      hit(`h${i}`, texts[i % texts.length]!, ((i * 37) % 61) / 61 - 0.1),
    );
    const all = hits
      .map((each) => {
        const { prior } = passageMakeup(each.text, each.section);
        return { ...each, score: each.score >= 0 ? each.score * prior : each.score / prior };
      })
      .sort((a, b) => b.score - a.score);
    for (const topK of [1, 5, 10, 60]) {
      expect(rankByBodyShare(hits, topK).map((each) => each.id)).toEqual(
        all.slice(0, topK).map((each) => each.id),
      );
    }
  });
});
