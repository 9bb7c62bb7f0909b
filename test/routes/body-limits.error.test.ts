import { describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES } from "../../src/middleware/body-limit";
import { apiWithEnv } from "../helpers/api";
import { uploadRequest } from "../helpers/documents";
import { streamedBody } from "../helpers/streams";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";

describe("request body limits", () => {
  it("refuses a JSON body over the limit from its Content-Length, before parsing it", async () => {
    const tenant = await createTenant();
    const body = JSON.stringify({ name: "x", padding: "p".repeat(MAX_JSON_BODY_BYTES) });
    const response = await tenant.client.request("POST", "collections", {
      body,
      headers: { "content-type": "application/json", "content-length": String(body.length) },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      code: "payload_too_large",
      max_bytes: MAX_JSON_BODY_BYTES,
    });
    expect((await tenant.client.expectJson(200, "GET", "collections")).data).toHaveLength(0);
  });

  it("leaves uploads to their own limit, past the JSON one", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const bytes = new TextEncoder().encode("word ".repeat((MAX_JSON_BODY_BYTES * 1.5) / 5));
    const response = await uploadRequest(tenant.client, collection.id, "large.txt", bytes);
    expect(response.status).toBe(202);
  });

  it("refuses a chunked JSON body as soon as it passes the limit, and charges nothing", async () => {
    const tenant = await createTenant();
    const assistant = await createAssistant(tenant, [(await createCollection(tenant)).id]);
    const streamed = streamedBody(
      `{"model": "${assistant.id}", "messages": [{"role": "user", "content": "`,
      20 * 1024 * 1024,
      `"}]}`,
    );
    const client = apiWithEnv({}, { "x-tenant-id": tenant.id });
    const response = await client.request("POST", "openai/chat/completions", {
      body: streamed.body,
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { code: string }).code).toBe("payload_too_large");
    // Read up to the limit and one chunk more, not the 20 MB.
    expect(streamed.pulled()).toBeLessThan(MAX_JSON_BODY_BYTES + 64 * 1024);
    const usage = await tenant.client.expectJson(200, "GET", "usage");
    expect(usage.metrics.chat_messages).toMatchObject({ used: 0, reserved: 0 });
  });
});
