import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { upload } from "../helpers/documents";
import { createCollection, createTenant } from "../helpers/tenants";

const text = (s: string) => new TextEncoder().encode(s);
const utf8Length = (s: string) => new TextEncoder().encode(s).length;

describe("file names", () => {
  it("stores a hostile name normalised and bounded, and downloads it as an attachment", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    // (Line breaks and NUL never get this far: the multipart parser refuses them in a part's headers.)
    const hostile = `..\\..\\secret/${"n".repeat(60_000)}\u202E.txt`;
    const document = await upload(tenant, collection.id, hostile, text("hello"));
    expect(utf8Length(document.filename)).toBeLessThanOrEqual(255);
    expect(document.filename).toMatch(/^n+\.txt$/);

    const response = await tenant.client.request("GET", `documents/${document.id}/content`);
    expect(response.status).toBe(200);
    const disposition = response.headers.get("content-disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="n+\.txt"; filename\*=UTF-8''n+\.txt$/);
    expect(disposition.length).toBeLessThan(1024);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await response.text()).toBe("hello");
  });

  it("downloads a name stored before names were bounded as an attachment with a short header", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await upload(tenant, collection.id, "short.txt", text("legacy"));
    await env.DB.prepare("UPDATE documents SET filename = ? WHERE id = ?")
      .bind(`${"é".repeat(200_000)}.txt`, document.id)
      .run();
    const response = await tenant.client.request("GET", `documents/${document.id}/content`);
    expect(response.status).toBe(200);
    const disposition = response.headers.get("content-disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="e+\.txt"; filename\*=UTF-8''(%C3%A9)+\.txt$/);
    expect(disposition.length).toBeLessThan(1024);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });
});
