import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config";

function problemsOf(env: Record<string, unknown>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("runs on embedded defaults with nothing set", () => {
    const config = parseConfig({ ENVIRONMENT: "development" });
    expect(config.embeddings.provider).toBe("local");
    expect(config.vectorStore.provider).toBe("embedded");
    expect(config.llm.provider).toBe("extractive");
    expect(config.chunking).toEqual({ size: 800, overlap: 100 });
    expect(config.upload.maxBytes).toBe(50 * 1024 * 1024);
    expect(config.plans.free.assistants).toBe(3);
    expect(config.tenants.maxFreePerUser).toBe(3);
    expect(config.devAuthBypass).toBe(false);
  });

  it("switches to hosted providers when their keys are set", () => {
    const config = parseConfig({ OPENAI_API_KEY: "sk-test", QDRANT_URL: "http://127.0.0.1:6333" });
    expect(config.embeddings.provider).toBe("openai");
    expect(config.llm.provider).toBe("openai");
    expect(config.vectorStore.provider).toBe("qdrant");
  });

  it("allows the development bypass only in development and test", () => {
    for (const environment of ["development", "test"]) {
      expect(parseConfig({ ENVIRONMENT: environment, DEV_AUTH_BYPASS: "true" }).devAuthBypass).toBe(true);
    }
    for (const environment of ["staging", "production", undefined]) {
      expect(problemsOf({ ENVIRONMENT: environment, DEV_AUTH_BYPASS: "true" })[0]).toMatch(
        /^DEV_AUTH_BYPASS/,
      );
    }
  });

  it("names each bad or contradictory variable", () => {
    expect(problemsOf({ ENVIRONMENT: "production", DEV_AUTH_BYPASS: "true" })[0]).toMatch(/^DEV_AUTH_BYPASS/);
    expect(problemsOf({ CHUNK_SIZE: "100", CHUNK_OVERLAP: "100" })[0]).toMatch(/^CHUNK_OVERLAP/);
    expect(problemsOf({ VECTOR_STORE: "qdrant" })[0]).toMatch(/^QDRANT_URL/);
    expect(problemsOf({ EMBEDDER: "openai" })[0]).toMatch(/^OPENAI_API_KEY/);
    expect(problemsOf({ VECTOR_STORE: "vectorize" })[0]).toMatch(/vectorize/);
    expect(problemsOf({ CLERK_JWKS_URL: "not a url" })[0]).toMatch(/^CLERK_JWKS_URL/);
    expect(problemsOf({ MAX_ASSISTANTS_PER_TENANT: "-1" })[0]).toMatch(/^MAX_ASSISTANTS_PER_TENANT/);
    expect(problemsOf({ MAX_FREE_TENANTS_PER_USER: "0" })[0]).toMatch(/^MAX_FREE_TENANTS_PER_USER/);
    expect(problemsOf({ DEV_AUTH_BYPASS: "yes" })[0]).toMatch(/^DEV_AUTH_BYPASS/);
  });

  it("says what is wrong with each malformed value, every bad variable at once", () => {
    expect(
      problemsOf({
        ENVIRONMENT: "prod",
        CLERK_JWKS_URL: "not a url",
        MAX_ASSISTANTS_PER_TENANT: "-1",
        CHUNK_SIZE: "abc",
        CHUNK_OVERLAP: "1.5",
        INGEST_PAGES_PER_BATCH: "501",
        WIDGET_TOKEN_SECRET: "short",
        EMBEDDER: "local-ish",
        EMBEDDING_MODEL: 3,
      }),
    ).toEqual([
      'ENVIRONMENT: Invalid option: expected one of "development"|"test"|"staging"|"production"',
      "CLERK_JWKS_URL: Invalid URL",
      "MAX_ASSISTANTS_PER_TENANT: Too small: expected number to be >0",
      "CHUNK_SIZE: Invalid input: expected number, received NaN",
      "CHUNK_OVERLAP: Invalid input: expected int, received number",
      "INGEST_PAGES_PER_BATCH: Too big: expected number to be <=500",
      'EMBEDDER: Invalid option: expected one of "local"|"openai"|"workers-ai"',
      "EMBEDDING_MODEL: Invalid input: expected string, received number",
      "WIDGET_TOKEN_SECRET: Too small: expected string to have >=32 characters",
    ]);
  });

  it("reads numbers, flags, lists and blanks as a deploy's vars give them", () => {
    const config = parseConfig({
      ENVIRONMENT: "test",
      DEV_AUTH_BYPASS: "1",
      CORS_ALLOWED_ORIGINS: " https://a.example , ,https://b.example",
      CHUNK_SIZE: 1200,
      INGEST_OPEN_PDF_MB: "0.5",
      HYBRID_KEYWORD_WEIGHT: "0.25",
      CLERK_ISSUER: "  ",
      QDRANT_URL: " http://127.0.0.1:6333 ",
    });
    expect(config.devAuthBypass).toBe(true);
    expect(config.corsAllowedOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(config.chunking.size).toBe(1200);
    expect(config.ingest.openPdfBytes).toBe(512 * 1024);
    expect(config.search.hybridKeywordWeight).toBe(0.25);
    expect(config.clerk).toBeUndefined();
    expect(config.vectorStore.qdrant?.url).toBe("http://127.0.0.1:6333");
  });
});
