import { describe, expect, inject, it } from "vitest";
import { ProviderError } from "../../../src/providers/errors";
import { OpenAiAnswerGenerator } from "../../../src/providers/llm/openai";
import { collectFailure } from "./collect";

const baseUrl = inject("openaiChatUrl");
// The fake repeats a rejected key in full in its message (OpenAI itself masks most of it).
const badKey = "sk-bad-Zq81LmN4pX0vR7tY2wK9";
const secretPart = "Zq81LmN4pX0vR7tY2wK9";

const generatorWith = (apiKey: string) =>
  new OpenAiAnswerGenerator({ apiKey, baseUrl, model: "gpt-4o-mini", timeoutMs: 5000 });
const SIMPLE_QUESTION = { systemPrompt: "", question: "Hi?", sources: [], history: [] };

/** Everything an error could show or log: message, stack, JSON, extensions, cause. */
function everythingIn(error: unknown): string {
  const e = error as ProviderError;
  return [
    String(e),
    e.stack,
    e.detail,
    JSON.stringify(e),
    JSON.stringify(e.extensions),
    String(e.cause),
  ].join("\n");
}

describe("OpenAI answer generator and API keys", () => {
  it("keeps a rejected key out of the error, which is permanent", async () => {
    const generator = generatorWith(badKey);
    const { error } = await collectFailure(generator.stream(SIMPLE_QUESTION));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).transient).toBe(false);
    expect((error as ProviderError).upstreamStatus).toBe(401);
    expect((error as ProviderError).message).toMatch(/Incorrect API key provided/);
    expect(everythingIn(error)).not.toContain(secretPart);

    const rewriteError = await generator.rewriteQuery("And then?", []).catch((e: unknown) => e);
    expect((rewriteError as ProviderError).upstreamStatus).toBe(401);
    expect(everythingIn(rewriteError)).not.toContain(secretPart);
  });

  it("redacts the configured key even when it does not look like an OpenAI key", async () => {
    const proxyKey = "proxy-bad-7f3e9a2b1c5d";
    const { error } = await collectFailure(generatorWith(proxyKey).stream(SIMPLE_QUESTION));
    expect((error as ProviderError).message).toMatch(/Incorrect API key provided: \[redacted\]/);
    expect(everythingIn(error)).not.toContain("7f3e9a2b1c5d");
  });
});
