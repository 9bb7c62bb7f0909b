import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the copilot project's tests find the copilot Worker as wrangler bundles it. */
export const COPILOT_TEST_BUNDLE = fileURLToPath(
  new URL("../../.wrangler/copilot-test/index.js", import.meta.url),
);

/**
 * Vitest's global setup of the "copilot" project: bundles the copilot Worker with wrangler, as
 * `npm run deploy` would. The tests run that bundle: loaded module by module, as Vitest loads a
 * Worker's dependencies, CopilotKit's Node-era packages (pino-pretty, google-auth-library) fail in
 * workerd, while bundled they load, as in `wrangler dev` and in production.
 */
export default function buildCopilot(): void {
  execFileSync(
    "npx",
    [
      "wrangler",
      "deploy",
      "--dry-run",
      "--env=",
      "-c",
      "copilot/wrangler.toml",
      "--outdir",
      dirname(COPILOT_TEST_BUNDLE),
    ],
    { cwd: fileURLToPath(new URL("../..", import.meta.url)), stdio: ["ignore", "ignore", "inherit"] },
  );
}
