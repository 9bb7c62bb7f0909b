import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** Set in the "openai" project only (vitest.config.ts). */
      VISION_MODEL?: string;
    }
  }
}
