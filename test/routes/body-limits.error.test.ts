import { describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES } from "../../src/middleware/body-limit";
import { CollectionPageSchema } from "../../src/routes/collections/collections.schemas";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { apiWithEnv, expectProblemBody } from "../helpers/api";
import { uploadRequest } from "../helpers/documents";
import { streamedBody } from "../helpers/streams";
import { createAssistant, createCollection, createTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

describe("request body limits", () => {
  it("refuses a JSON body over the limit from its Content-Length, before parsing it", async () => {
    const tenant = await createTenant();
    const body = JSON.stringify({ name: "x", padding: "p".repeat(MAX_JSON_BODY_BYTES) });
    const response = await tenant.client.request("POST", "collections", {
      body,
      headers: { "content-type": "application/json", "content-length": String(body.length) },
    });
    expect(await expectProblemBody(response, 413)).toMatchObject({
      code: "payload_too_large",
      max_bytes: MAX_JSON_BODY_BYTES,
    });
    expect(
      (await tenant.client.expectJson(200, "GET", "collections", CollectionPageSchema)).data,
    ).toHaveLength(0);
  });

  it("leaves uploads to their own limit, past the JSON one", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const bytes = encode("word ".repeat((MAX_JSON_BODY_BYTES * 1.5) / 5));
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
    expect((await expectProblemBody(response, 413)).code).toBe("payload_too_large");
    // Read up to the limit and one chunk more, not the 20 MB.
    expect(streamed.pulled()).toBeLessThan(MAX_JSON_BODY_BYTES + 64 * 1024);
    const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    expect(usage.metrics.chat_messages).toMatchObject({ used: 0, reserved: 0 });
  });
});
