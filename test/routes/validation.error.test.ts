import { describe, expect, it } from "vitest";
import { api, apiWithEnv, expectProblemBody, fieldsOf, type Problem } from "../helpers/api";
import { createTenant } from "../helpers/tenants";

/** The problem's code and type URL; ProblemSchema has already checked the rest of its shape. */
function expectCode(problem: Problem, code: string) {
  expect(problem.code).toBe(code);
  expect(problem.type).toMatch(/^https:\/\/ancre\.dev\/problems\//);
}

describe("request validation and the problem shape", () => {
  it("answers malformed JSON with 400 malformed_json", async () => {
    const tenant = await createTenant();
    const response = await tenant.client.request("POST", "collections", {
      body: '{"name": "oops"',
      headers: { "content-type": "application/json" },
    });
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expectCode(await expectProblemBody(response, 400), "malformed_json");
  });

  it("names every bad field", async () => {
    const tenant = await createTenant();
    const problem = await tenant.client.expectProblem(400, "POST", "assistants", {
      json: { name: 42, system_prompt: "p", collection_ids: "nope", temperature: 9 },
    });
    expectCode(problem, "validation_failed");
    const fields = fieldsOf(problem).sort();
    expect(fields).toEqual(["json.collection_ids", "json.name", "json.temperature"]);
  });

  it("refuses over-long and blank names", async () => {
    const tenant = await createTenant();
    const long = await tenant.client.expectProblem(400, "POST", "collections", {
      json: { name: "x".repeat(201) },
    });
    expect(fieldsOf(long)).toEqual(["json.name"]);
    const blank = await tenant.client.expectProblem(400, "POST", "collections", { json: { name: "   " } });
    expect(fieldsOf(blank)).toEqual(["json.name"]);
  });

  it("validates query parameters", async () => {
    const tenant = await createTenant();
    const problem = await tenant.client.expectProblem(400, "GET", "collections?limit=1000");
    expect(fieldsOf(problem)).toEqual(["query.limit"]);
    const cursor = await tenant.client.expectProblem(400, "GET", "collections?cursor=garbage!!");
    expect(fieldsOf(cursor)).toEqual(["query.cursor"]);
  });

  it("refuses a body that is not JSON with 415", async () => {
    const tenant = await createTenant();
    const problem = await tenant.client.expectProblem(415, "POST", "collections", {
      body: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectCode(problem, "unsupported_media_type");
  });

  it("answers an unknown route with a 404 problem", async () => {
    expectCode(await api().expectProblem(404, "GET", "/api/v1/nothing-here"), "route_not_found");
  });

  it("requires a tenant on tenant-scoped routes", async () => {
    const problem = await api().expectProblem(400, "GET", "collections");
    expectCode(problem, "tenant_required");
  });

  it("answers an unknown tenant with 404", async () => {
    const problem = await api({ "x-tenant-id": "ten_doesnotexist" }).expectProblem(404, "GET", "collections");
    expectCode(problem, "not_found");
  });

  it("carries X-Request-ID on every response and echoes a sane incoming one", async () => {
    const ok = await api().request("GET", "/api/v1/health");
    expect(ok.headers.get("x-request-id")).toMatch(/^req_/);
    const echoed = await api({ "x-request-id": "client-abc-123" }).request("GET", "/nowhere");
    expect(echoed.headers.get("x-request-id")).toBe("client-abc-123");
    expect((await expectProblemBody(echoed, 404)).request_id).toBe("client-abc-123");
  });

  it("hides unexpected exceptions behind a generic 500 with the request id", async () => {
    const tenant = await createTenant();
    const brokenDb = {
      prepare() {
        throw new Error("SECRET internal detail");
      },
      batch() {
        throw new Error("SECRET internal detail");
      },
      // Each request reads through a D1 session: the same broken database.
      withSession: () => brokenDb,
      getBookmark: () => null,
    };
    const response = await apiWithEnv({ DB: brokenDb }, { "x-tenant-id": tenant.id }).request(
      "GET",
      "collections",
    );
    const text = await response.clone().text();
    expect(text).not.toContain("SECRET");
    expect(text).not.toContain("at ");
    const problem = await expectProblemBody(response, 500);
    expectCode(problem, "internal_error");
    expect(problem.detail).toContain(problem.request_id);
  });
});
