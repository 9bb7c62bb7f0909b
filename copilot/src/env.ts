/** The copilot Worker's bindings (copilot/wrangler.toml) and secrets. */
export interface CopilotEnv {
  /** The API Worker, which runs the tools for the tenant a copilot token names. */
  API: Fetcher;
  COPILOT_INTERNAL_SECRET?: string;
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  LLM_MODEL?: string;
  COPILOTKIT_TELEMETRY_DISABLED?: string;
}
