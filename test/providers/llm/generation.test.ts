import { afterEach, describe, expect, it, vi } from "vitest";
import { ProviderError } from "../../../src/providers/errors";
import { endOfStream, rewriteFollowUp } from "../../../src/providers/llm/generation";
import { IdleDeadline } from "../../../src/providers/llm/idle-deadline";
import type { ChatMessage } from "../../../src/providers/llm/prompt";

// The end of a stream and the follow-up rewrite are one piece of code for every model-calling
// answerer (OpenAI, Workers AI): these are the rules each of them used to repeat.

const messages: ChatMessage[] = [{ role: "user", content: "What is Ancre?" }];

const end = (deadline: IdleDeadline, finishReason: string | undefined) =>
  endOfStream({
    provider: "test",
    deadline,
    messages,
    answer: "A RAG service.",
    model: "m",
    finishReason,
    usage: undefined,
    incomplete: "cut short",
  });

describe("the end of an answer stream", () => {
  it("is a done event with the usage estimated when the provider reported none", () => {
    const deadline = new IdleDeadline("test", 60_000);
    const done = end(deadline, "stop");
    deadline.dispose();
    expect(done).toMatchObject({
      type: "done",
      finishReason: "stop",
      model: "m",
      usage: { estimated: true },
    });
  });

  it("is a transient error when the stream ended without a finish reason", () => {
    const deadline = new IdleDeadline("test", 60_000);
    let failure: unknown;
    try {
      end(deadline, undefined);
    } catch (error) {
      failure = error;
    }
    deadline.dispose();
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ transient: true, message: expect.stringContaining("cut short") });
  });

  it("throws the caller's abort first, even with a finish reason", () => {
    const caller = new AbortController();
    const deadline = new IdleDeadline("test", 60_000, caller.signal);
    caller.abort(new Error("the visitor left"));
    expect(() => end(deadline, "stop")).toThrow("the visitor left");
    deadline.dispose();
  });
});

describe("the idle deadline of a stream", () => {
  // The spy wraps the fake setTimeout: it goes first, then the real timers come back.
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it("keeps one timer however many chunks touch it, and fires once nothing arrives for its timeout", () => {
    vi.useFakeTimers();
    const timers = vi.spyOn(globalThis, "setTimeout");
    const deadline = new IdleDeadline("test", 1000);
    // Forty chunks, 200 ms apart: eight seconds of a stream that keeps coming is never cut.
    for (let chunk = 0; chunk < 40; chunk++) {
      vi.advanceTimersByTime(200);
      deadline.touch();
    }
    expect(deadline.signal.aborted).toBe(false);
    // A timer set again when it fires early, not one per chunk.
    expect(timers.mock.calls.length).toBeLessThanOrEqual(10);
    vi.advanceTimersByTime(999);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.stopReason()).toMatchObject({
      transient: true,
      message: expect.stringContaining("1000 ms"),
    });
    deadline.dispose();
  });
});

describe("a follow-up rewrite", () => {
  const rewrite = (text: string, fail?: unknown) =>
    rewriteFollowUp({
      provider: "test",
      timeoutMs: 60_000,
      question: "and its price?",
      history: [{ role: "user", content: "What is Ancre?" }],
      complete: async () => {
        if (fail) throw fail;
        return { text };
      },
      toError: (error) => new ProviderError("test", false, `mapped: ${String(error)}`),
    });

  it("is the model's text, trimmed and unquoted, with an estimated usage", async () => {
    const rewritten = await rewrite('  "Ancre pricing"\n');
    expect(rewritten.query).toBe("Ancre pricing");
    expect(rewritten.usage.estimated).toBe(true);
  });

  it("is the question itself when the model said nothing", async () => {
    expect((await rewrite("   ")).query).toBe("and its price?");
  });

  it("fails with the provider's own error mapping", async () => {
    await expect(rewrite("", "boom")).rejects.toMatchObject({
      message: expect.stringContaining("mapped: boom"),
    });
  });
});
