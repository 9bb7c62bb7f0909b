import { describe, expect, it } from "vitest";
import { api } from "../helpers/api";

describe("CORS on the management API", () => {
  it("allows a configured origin, preflight included", async () => {
    const preflight = await api({
      origin: "http://localhost:3000",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, x-tenant-id, content-type",
    }).request("OPTIONS", "collections");
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-tenant-id");
  });

  it("gives no CORS grant to other origins", async () => {
    const response = await api({ origin: "https://evil.example" }).request("GET", "/api/v1/health");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
