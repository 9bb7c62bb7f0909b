import { beforeAll, describe, expect, it } from "vitest";
import { countTokens, loadTokenCounter } from "../../../src/ingest/tokens";
import {
  buildAnswerMessages,
  buildRewriteMessages,
  estimateUsage,
  formatSource,
  recentHistory,
} from "../../../src/providers/llm/prompt";
import type { ChatTurn } from "../../../src/providers/llm/types";

const sources = [
  {
    index: 1,
    text: "  Roberts was born in Bangor.  ",
    filename: "roberts.pdf",
    page: 3,
    section: "Early life",
  },
  { index: 2, text: "He played for Norwich City.", filename: "norwich.txt", page: null, section: null },
  { index: 3, text: "Untitled text." },
];

// The token tables load on first use (a large module: slow to transform on a busy machine).
beforeAll(loadTokenCounter, 60_000);

describe("answer prompt", () => {
  it("puts the assistant's prompt, the numbered sources, the history and the question in that order", () => {
    const history: ChatTurn[] = [
      { role: "user", content: "Who is Iwan Roberts?" },
      { role: "assistant", content: "A Welsh footballer [1]." },
    ];
    const messages = buildAnswerMessages({
      systemPrompt: "You are the club historian.",
      question: "Where was he born?",
      sources,
      history,
    });
    expect(messages.map((m) => m.role)).toEqual(["system", "system", "user", "assistant", "user"]);
    expect(messages[0]!.content).toMatch(/^You are the club historian\.\n\n/);
    expect(messages[0]!.content).toMatch(/only the numbered sources/);
    expect(messages[0]!.content).toMatch(/\[1\]/);
    expect(messages[0]!.content).toMatch(/don't know/);
    expect(messages[1]!.content).toBe(
      "Sources:\n\n" +
        "[1] (roberts.pdf, p. 3, Early life) Roberts was born in Bangor.\n\n" +
        "[2] (norwich.txt) He played for Norwich City.\n\n" +
        "[3] Untitled text.",
    );
    // Markers of an earlier answer referred to that answer's sources.
    expect(messages[3]!.content).toBe("A Welsh footballer.");
    expect(messages[4]).toEqual({ role: "user", content: "Where was he born?" });
  });

  it("says when there are no sources and keeps the rules without a system prompt", () => {
    const messages = buildAnswerMessages({ systemPrompt: "  ", question: "Q?", sources: [], history: [] });
    expect(messages[0]!.content).toMatch(/^Answer the user's question using only/);
    expect(messages[1]!.content).toMatch(/none were found/);
  });

  it("formats page 0 and omits an empty header", () => {
    expect(formatSource({ index: 4, text: "x", page: 0 })).toBe("[4] (p. 0) x");
    expect(formatSource({ index: 5, text: "y" })).toBe("[5] y");
  });
});

describe("history budget", () => {
  const turn = (role: ChatTurn["role"], words: number, tag: string): ChatTurn => ({
    role,
    content: `${tag} ${"word ".repeat(words)}`.trim(),
  });

  it("keeps the most recent turns that fit and drops the oldest first", () => {
    const history = [
      turn("user", 100, "oldest"),
      turn("assistant", 100, "older"),
      turn("user", 100, "recent"),
      turn("assistant", 100, "latest"),
    ];
    const perTurn = countTokens(history[3]!.content);
    const kept = recentHistory(history, perTurn * 2 + 5);
    expect(kept.map((m) => m.content.split(" ")[0])).toEqual(["recent", "latest"]);
    expect(recentHistory(history, 10_000)).toHaveLength(4);
    expect(recentHistory(history, perTurn - 1)).toEqual([]);
  });

  it("applies the budget inside the answer prompt", () => {
    const history = Array.from({ length: 40 }, (_, i) => turn(i % 2 ? "assistant" : "user", 60, `t${i}`));
    const messages = buildAnswerMessages({ systemPrompt: "", question: "Q?", sources: [], history }, 300);
    const kept = messages.slice(2, -1);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(40);
    expect(kept.at(-1)!.content.startsWith("t39 ")).toBe(true);
    expect(kept.reduce((sum, m) => sum + countTokens(m.content), 0)).toBeLessThanOrEqual(300);
  });
});

describe("rewrite prompt and usage estimate", () => {
  it("asks for a standalone query from the conversation and the follow-up", () => {
    const messages = buildRewriteMessages("And how tall is he?", [
      { role: "user", content: "Who is Iwan Roberts?" },
      { role: "assistant", content: "A Welsh footballer [1]." },
    ]);
    expect(messages).toHaveLength(2);
    expect(messages[0]!.content).toMatch(/standalone search query/);
    expect(messages[1]!.content).toBe(
      "Conversation:\nUser: Who is Iwan Roberts?\nAssistant: A Welsh footballer.\n\nFollow-up question: And how tall is he?",
    );
  });

  it("counts the prompt with per-message framing and the completion with the tokenizer", () => {
    const messages = [
      { role: "system" as const, content: "Be brief." },
      { role: "user" as const, content: "Hello there" },
    ];
    const usage = estimateUsage(messages, "General Kenobi.");
    expect(usage).toEqual({
      promptTokens: countTokens("Be brief.") + countTokens("Hello there") + 2 * 3 + 3,
      completionTokens: countTokens("General Kenobi."),
      totalTokens: usage.promptTokens + usage.completionTokens,
      estimated: true,
    });
  });
});
