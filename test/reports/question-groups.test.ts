import { describe, expect, it } from "vitest";
import { contentTerms } from "../../src/lib/text/terms";
import { groupSimilarQuestions } from "../../src/services/reports/question-groups";

const item = (question: string, scope = "ast_a") => ({
  question,
  scope,
  terms: contentTerms(question, "en"),
  normalized: question.trim().toLowerCase(),
});

const grouped = (items: ReturnType<typeof item>[]) =>
  groupSimilarQuestions(items).map((group) => group.map((entry) => entry.question));

describe("grouping similar questions", () => {
  it("groups rewordings of one question and keeps different questions apart", () => {
    expect(
      grouped([
        item("What is your refund policy?"),
        item("How do I reset my password?"),
        item("refund policy"),
        item("Can I get refunds on damaged items under the refund policy?"),
        item("password reset"),
        item("Do you ship to Canada?"),
      ]),
    ).toEqual([
      [
        "What is your refund policy?",
        "refund policy",
        "Can I get refunds on damaged items under the refund policy?",
      ],
      ["How do I reset my password?", "password reset"],
      ["Do you ship to Canada?"],
    ]);
  });

  it("does not group on a common term alone when the rare ones differ", () => {
    expect(
      grouped([
        item("What is the price of the blue kettle?"),
        item("What is the price of the oak table?"),
        item("price of the blue kettle"),
      ]),
    ).toEqual([
      ["What is the price of the blue kettle?", "price of the blue kettle"],
      ["What is the price of the oak table?"],
    ]);
  });

  it("never groups the questions of two assistants", () => {
    expect(grouped([item("refund policy", "ast_a"), item("refund policy", "ast_b")])).toEqual([
      ["refund policy"],
      ["refund policy"],
    ]);
  });

  it("groups questions of stop words only by their exact wording", () => {
    expect(grouped([item("Why?"), item("why? "), item("How?")])).toEqual([["Why?", "why? "], ["How?"]]);
  });
});
