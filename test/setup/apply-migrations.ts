import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Runs before each test file: the local D1 gets the same migrations wrangler applies.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
