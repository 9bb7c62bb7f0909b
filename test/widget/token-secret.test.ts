import { describe, expect, it } from "vitest";
import { signVisitorToken, verifyVisitorToken } from "../../src/auth/visitor-token";
import { ConfigError, parseConfig } from "../../src/config";

const claims = {
  tenantId: "ten_a",
  assistantId: "ast_a",
  visitorId: "vis_a",
  origin: "https://www.customer.example",
  publishableKey: "pk_a",
};

describe("the widget token secret", () => {
  it("is derived locally in development and test, so nothing needs setting", async () => {
    for (const environment of ["development", "test"]) {
      const config = parseConfig({ ENVIRONMENT: environment });
      const { token } = await signVisitorToken(claims, config);
      expect(await verifyVisitorToken(token, config)).toEqual(claims);
    }
  });

  it("is a configuration error naming WIDGET_TOKEN_SECRET in production when unset or short", async () => {
    const production = parseConfig({ ENVIRONMENT: "production" });
    const error = await signVisitorToken(claims, production).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]).toMatch(/^WIDGET_TOKEN_SECRET/);
    expect(() => parseConfig({ ENVIRONMENT: "production", WIDGET_TOKEN_SECRET: "too short" })).toThrow(
      /WIDGET_TOKEN_SECRET/,
    );
  });

  it("signs with the configured secret, and a token of another secret is refused", async () => {
    const secret = (fill: string) =>
      parseConfig({ ENVIRONMENT: "production", WIDGET_TOKEN_SECRET: fill.repeat(32) });
    const { token } = await signVisitorToken(claims, secret("a"));
    expect(await verifyVisitorToken(token, secret("a"))).toEqual(claims);
    await expect(verifyVisitorToken(token, secret("b"))).rejects.toMatchObject({ code: "unauthenticated" });
  });
});
