import { describe, expect, it } from "vitest";
import { rankAssistants } from "./busiest-assistants";

describe("rankAssistants", () => {
  const assistants = [
    { id: "ast_a", name: "Archive" },
    { id: "ast_b", name: "Billing" },
    { id: "ast_c", name: "Contracts" },
  ];

  it("puts the assistants asked most this period first, with their counts", () => {
    const ranked = rankAssistants(assistants, [
      { id: "ast_c", questions: 7 },
      { id: "ast_b", questions: 2 },
    ]);
    expect(ranked.map((a) => [a.name, a.questions])).toEqual([
      ["Contracts", 7],
      ["Billing", 2],
      ["Archive", 0],
    ]);
  });

  it("orders assistants nobody asked by name, and keeps only the first ones", () => {
    expect(rankAssistants(assistants, [], 2).map((a) => a.name)).toEqual(["Archive", "Billing"]);
  });
});
