import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { apiWithEnv } from "../helpers/api";
import { readCorpus } from "../helpers/corpus";
import { uploadCorpus, uploadRequest, waitForDocument } from "../helpers/documents";
import { streamedBody } from "../helpers/streams";
import { createCollection, createTenant } from "../helpers/tenants";

const text = (s: string) => new TextEncoder().encode(s);

describe("upload refusals", () => {
  it("refuses a file over MAX_UPLOAD_BYTES with 413 and stores nothing", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const small = apiWithEnv({ MAX_UPLOAD_BYTES: "1000" }, { "x-tenant-id": tenant.id });
    const response = await uploadRequest(small, collection.id, "big.txt", text("x".repeat(5000)));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { code: string }).code).toBe("payload_too_large");
    expect((await tenant.client.expectJson(200, "GET", "documents")).data).toHaveLength(0);
  });

  it("refuses a chunked upload over MAX_UPLOAD_BYTES while it streams, and stores nothing", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const small = apiWithEnv({ MAX_UPLOAD_BYTES: "1000" }, { "x-tenant-id": tenant.id });
    const boundary = "ancre-test-boundary";
    const upload = streamedBody(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n`,
      30 * 1024 * 1024,
      `\r\n--${boundary}--\r\n`,
    );
    const response = await small.request("POST", `documents/upload/${collection.id}`, {
      body: upload.body,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "payload_too_large", max_bytes: 1000 });
    // Refused once past the file limit and the form's allowance (64 KiB), not after 30 MB.
    expect(upload.pulled()).toBeLessThan(1000 + 128 * 1024);
    expect((await env.FILES.list({ prefix: `tenants/${tenant.id}/` })).objects).toHaveLength(0);
    const usage = await tenant.client.expectJson(200, "GET", "usage");
    for (const metric of ["documents", "storage_bytes"]) {
      expect(usage.metrics[metric], metric).toMatchObject({ used: 0, reserved: 0 });
    }
  });

  it("refuses an unsupported type with 415 naming the supported ones", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const response = await uploadRequest(
      tenant.client,
      collection.id,
      "sheet.xlsx",
      await readCorpus("bad/poc-xmlbomb.xlsx"),
    );
    expect(response.status).toBe(415);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe("unsupported_media_type");
    for (const type of ["PDF", "Word", "PowerPoint", "HTML", "Markdown", "text"])
      expect(problem.detail).toContain(type);
  });

  it("refuses content that does not match its extension", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const fakePdf = await uploadRequest(tenant.client, collection.id, "fake.pdf", text("just some text"));
    expect(fakePdf.status).toBe(415);
    const docxAsTxt = await uploadRequest(
      tenant.client,
      collection.id,
      "x.txt",
      await readCorpus("docx/category-level.docx"),
    );
    expect(docxAsTxt.status).toBe(415);
    const zipAsHtml = await uploadRequest(
      tenant.client,
      collection.id,
      "x.html",
      await readCorpus("pptx/fake-power-point-table.pptx"),
    );
    expect(zipAsHtml.status).toBe(415);
  });

  it("validates the form: a missing file, metadata that is not an object", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const form = new FormData();
    form.append("metadata", "{}");
    const missing = await tenant.client.expectJson(400, "POST", `documents/upload/${collection.id}`, {
      body: form,
    });
    expect(missing.errors[0].field).toBe("form.file");
    const badMetadata = await uploadRequest(tenant.client, collection.id, "a.txt", text("hello"), "[1,2]");
    expect(badMetadata.status).toBe(400);
    expect(((await badMetadata.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe(
      "form.metadata",
    );
  });

  it("answers 404 for a collection that is not the caller's", async () => {
    const owner = await createTenant();
    const intruder = await createTenant();
    const collection = await createCollection(owner);
    const response = await uploadRequest(intruder.client, collection.id, "a.txt", text("hello"));
    expect(response.status).toBe(404);
  });

  it("fails an empty file with a sentence a user understands", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "txt/empty.txt");
    const failed = await waitForDocument(tenant, document.id);
    expect(failed).toMatchObject({ status: "failed", error: "the file is empty", chunk_count: 0 });
  });
});
