import { describe, expect, it } from "vitest";
import { ConsoleConfigSchema } from "../../src/routes/console-config/console-config.schemas";
import { api, apiWithEnv } from "../helpers/api";

describe("console configuration", () => {
  it("tells the console, without credentials, that the development bypass is on and nothing else is", async () => {
    const config = await api().expectJson(200, "GET", "/api/v1/config", ConsoleConfigSchema);
    expect(config).toMatchObject({
      clerk_publishable_key: null,
      dev_auth_bypass: true,
      billing_configured: false,
      features: { generative_answers: false },
    });
    expect(config.limits.max_upload_bytes).toBeGreaterThan(0);
  });

  it("hands out Clerk's publishable key and the billing state when they are configured", async () => {
    const config = await apiWithEnv({
      DEV_AUTH_BYPASS: "false",
      CLERK_JWKS_URL: "https://clerk.example.test/.well-known/jwks.json",
      CLERK_PUBLISHABLE_KEY: "pk_test_ancre",
      STRIPE_SECRET_KEY: "sk_test_ancre",
      STRIPE_WEBHOOK_SECRET: "whsec_ancre",
      STRIPE_PRICE_PRO: "price_pro",
    }).expectJson(200, "GET", "/api/v1/config", ConsoleConfigSchema);
    expect(config).toMatchObject({
      clerk_publishable_key: "pk_test_ancre",
      dev_auth_bypass: false,
      billing_configured: true,
    });
  });
});
