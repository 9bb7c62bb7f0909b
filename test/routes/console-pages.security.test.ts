import { describe, expect, it } from "vitest";
import { api, apiWithEnv } from "../helpers/api";

// pk_test_ followed by the base64 of "clerk.example.test$": Clerk's Frontend API host.
const CLERK_KEY = `pk_test_${btoa("clerk.example.test$")}`;

const directive = (policy: string, name: string) =>
  policy
    .split("; ")
    .find((entry) => entry.startsWith(`${name} `))
    ?.split(" ")
    .slice(1);

describe("the console's pages", () => {
  it("come with a policy allowing only the console's own scripts, no inline script and no framing", async () => {
    const response = await api().request("GET", "/collections/col_any");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(directive(policy, "script-src")).toEqual(["'self'"]);
    expect(directive(policy, "style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directive(policy, "connect-src")).toEqual(["'self'"]);
    // The Embed tab frames the widget's preview, served by Ancre itself; nothing else.
    expect(directive(policy, "frame-src")).toEqual(["'self'"]);
    expect(directive(policy, "frame-ancestors")).toEqual(["'none'"]);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("name Clerk's Frontend API, from its publishable key, when sign-in goes through Clerk", async () => {
    const response = await apiWithEnv({
      DEV_AUTH_BYPASS: "false",
      CLERK_JWKS_URL: "https://clerk.example.test/.well-known/jwks.json",
      CLERK_PUBLISHABLE_KEY: CLERK_KEY,
    }).request("GET", "/");
    expect(response.status).toBe(200);
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(directive(policy, "script-src")).toEqual([
      "'self'",
      "https://clerk.example.test",
      "https://challenges.cloudflare.com",
    ]);
    expect(directive(policy, "connect-src")).toEqual(["'self'", "https://clerk.example.test"]);
    expect(directive(policy, "frame-ancestors")).toEqual(["'none'"]);
  });

  it("are the console's routes only: any other path, /api… ones included, is a 404 problem", async () => {
    for (const path of ["/API/v1/health", "/api/v1/nope", "/api", "/apis", "/nope", "/collections/a/b"]) {
      const problem = await api().expectProblem(404, "GET", path);
      expect(problem.code, path).toBe("route_not_found");
    }
  });
});
