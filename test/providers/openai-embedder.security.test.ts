import { describe, expect, inject, it } from "vitest";
import { OpenAiEmbedder } from "../../src/providers/embeddings/openai";
import { ProviderError } from "../../src/providers/errors";

const fake = inject("openai");
// The fake repeats a rejected `sk-bad-` key in full in its message (OpenAI itself masks most of it).
const badKey = "sk-bad-Hq27TnV5cX8wB1yR4mJ6";
const secretPart = "Hq27TnV5cX8wB1yR4mJ6";

describe("OpenAI embedder and API keys", () => {
  it("keeps a rejected key out of the error, which is permanent", async () => {
    const embedder = new OpenAiEmbedder({
      apiKey: badKey,
      baseUrl: fake.baseUrl,
      model: "text-embedding-3-small",
      dimensions: 512,
    });
    const error = await embedder.embed(["x"], "document").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ transient: false, upstreamStatus: 401 });
    const e = error as ProviderError;
    expect(e.message).toMatch(/Incorrect API key provided: \[redacted\]/);
    const everything = [String(e), e.stack, e.detail, JSON.stringify(e), String(e.cause)].join("\n");
    expect(everything).not.toContain(secretPart);
  });
});
