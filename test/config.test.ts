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
});
