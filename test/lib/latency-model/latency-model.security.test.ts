import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../src/config";
import { modelledEnv } from "../../../src/lib/latency-model/latency-model";

describe("the latency model outside development", () => {
  it.each(["production", "staging"])("is refused when ENVIRONMENT is %s", (environment) => {
    expect(() => parseConfig({ ENVIRONMENT: environment, LATENCY_PROFILE: "tokyo" })).toThrow(ConfigError);
    expect(() => modelledEnv({ ...env, ENVIRONMENT: environment, LATENCY_PROFILE: "tokyo" })).toThrow(
      /LATENCY_PROFILE/,
    );
  });

  it("is refused when ENVIRONMENT is unset (production by default)", () => {
    expect(() => parseConfig({ LATENCY_PROFILE: "tokyo" })).toThrow(/LATENCY_PROFILE/);
  });

  it("names only known profiles", () => {
    expect(() => parseConfig({ ENVIRONMENT: "development", LATENCY_PROFILE: "mars" })).toThrow(ConfigError);
    expect(parseConfig({ ENVIRONMENT: "test", LATENCY_PROFILE: "sydney" }).latencyProfile).toBe("sydney");
  });
});
