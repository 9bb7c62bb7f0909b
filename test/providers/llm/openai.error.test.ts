import { describe, expect, inject, it } from "vitest";
import { ProviderError } from "../../../src/providers/errors";
import { OpenAiAnswerGenerator } from "../../../src/providers/llm/openai";
import type { GenerateRequest } from "../../../src/providers/llm/types";
import { collectFailure } from "./collect";

const baseUrl = inject("openaiChatUrl");

const generator = (model: string, timeoutMs = 5000) =>
  new OpenAiAnswerGenerator({ apiKey: "sk-test-errors", baseUrl, model, timeoutMs });

const request = (overrides: Partial<GenerateRequest> = {}): GenerateRequest => ({
  systemPrompt: "",
  question: "Where was he born?",
  sources: [
    {
      index: 1,
      text: "Iwan Wyn Roberts was born in Bangor, Gwynedd, on 26 June 1968 and grew up in Barmouth.",
    },
  ],
  history: [],
  ...overrides,
});

function expectProviderError(error: unknown, transient: boolean): ProviderError {
  expect(error).toBeInstanceOf(ProviderError);
  const providerError = error as ProviderError;
  expect(providerError.transient).toBe(transient);
  expect(providerError.code).toBe("upstream_error");
  expect(providerError.provider).toBe("openai");
  return providerError;
}

describe("OpenAI answer generator failures", () => {
  it("maps a 500 to a transient ProviderError carrying the status", async () => {
    const { error, deltas } = await collectFailure(generator("fake-500").stream(request()));
    const providerError = expectProviderError(error, true);
    expect(providerError.upstreamStatus).toBe(500);
    expect(providerError.message).toMatch(/HTTP 500/);
    expect(deltas).toBe(0);
  });

  it("gives up on a server that never answers after the configured timeout, as a transient error", async () => {
    const { error, ms } = await collectFailure(generator("fake-timeout", 1000).stream(request()));
    console.log(`fake-timeout with a 1000 ms timeout failed after ${ms.toFixed(0)} ms`);
    expect(expectProviderError(error, true).message).toMatch(/timeout/);
    // Not before its timeout; the fake never answers, so the error itself shows it gave up.
    expect(ms).toBeGreaterThanOrEqual(900);
  });

  it("gives up on a stream that stalls after its first chunks", async () => {
    const { error, deltas, ms } = await collectFailure(generator("fake-stall", 1000).stream(request()));
    console.log(`fake-stall: ${deltas} deltas, then failed after ${ms.toFixed(0)} ms`);
    expect(deltas).toBeGreaterThan(0);
    expect(expectProviderError(error, true).message).toMatch(/timeout/);
    expect(ms).toBeGreaterThanOrEqual(900);
  });

  it("reports a connection broken mid-stream as a transient error, after the deltas already sent", async () => {
    const { error, deltas } = await collectFailure(generator("fake-midstream-error").stream(request()));
    expect(deltas).toBeGreaterThan(0);
    expectProviderError(error, true);
  });

  it("stops at once when the caller aborts, with the caller's reason rather than a provider error", async () => {
    const controller = new AbortController();
    const reason = new Error("client disconnected");
    setTimeout(() => controller.abort(reason), 700);
    const { error, deltas } = await collectFailure(
      generator("fake-slow").stream(request({ signal: controller.signal })),
    );
    expect(error).toBe(reason);
    expect(deltas).toBeGreaterThan(0);
    // The fake sends 10 chunks 300 ms apart: the stream ended at the abort, not at its last chunk.
    expect(deltas).toBeLessThan(10);
  });

  it("cannot reach a server that is not there: transient", async () => {
    const nowhere = new OpenAiAnswerGenerator({
      apiKey: "sk-test-errors",
      baseUrl: "http://127.0.0.1:9/v1",
      model: "gpt-4o-mini",
      timeoutMs: 2000,
    });
    const { error } = await collectFailure(nowhere.stream(request()));
    expectProviderError(error, true);
  });

  it("rewriteQuery fails the same way", async () => {
    await expect(generator("fake-500").rewriteQuery("And him?", [])).rejects.toMatchObject({
      transient: true,
      upstreamStatus: 500,
    });
  });
});
