import type { CopilotEnv } from "./env";

export interface CopilotConfig {
  /** Shared with the API Worker: verifies the tokens it adds, and is presented back with them. */
  internalSecret?: string;
  /** An OpenAI-compatible Chat Completions endpoint; undefined when no model is configured. */
  llm?: { apiKey: string; baseUrl?: string; model: string };
}

const present = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** The copilot's configuration, read once from its env. */
export function copilotConfig(env: CopilotEnv): CopilotConfig {
  const apiKey = present(env.OPENAI_API_KEY);
  const baseUrl = present(env.OPENAI_BASE_URL);
  const secret = present(env.COPILOT_INTERNAL_SECRET);
  return {
    internalSecret: secret && secret.length >= 32 ? secret : undefined,
    // A local OpenAI-compatible server may need no key; the SDK still sends one.
    llm:
      apiKey || baseUrl
        ? { apiKey: apiKey ?? "not-needed", baseUrl, model: present(env.LLM_MODEL) ?? "gpt-4o-mini" }
        : undefined,
  };
}
