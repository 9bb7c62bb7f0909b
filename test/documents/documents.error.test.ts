import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DocumentPageSchema } from "../../src/routes/documents/documents.schemas";
import { UsageSchema } from "../../src/routes/usage/usage.schemas";
import { apiWithEnv, expectProblemBody, fieldsOf } from "../helpers/api";
import { readCorpus } from "../helpers/corpus";
import { uploadCorpus, uploadRequest, waitForDocument } from "../helpers/documents";
import { streamedBody } from "../helpers/streams";
import { createCollection, createTenant } from "../helpers/tenants";
import { encode } from "../helpers/text";

describe("upload refusals", () => {
  it("refuses a file over MAX_UPLOAD_BYTES with 413 and stores nothing", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const small = apiWithEnv({ MAX_UPLOAD_BYTES: "1000" }, { "x-tenant-id": tenant.id });
    const response = await uploadRequest(small, collection.id, "big.txt", encode("x".repeat(5000)));
    expect((await expectProblemBody(response, 413)).code).toBe("payload_too_large");
    expect((await tenant.client.expectJson(200, "GET", "documents", DocumentPageSchema)).data).toHaveLength(
      0,
    );
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
    const usage = await tenant.client.expectJson(200, "GET", "usage", UsageSchema);
    for (const metric of ["documents", "storage_bytes"] as const) {
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
    const problem = await expectProblemBody(response, 415);
    expect(problem.code).toBe("unsupported_media_type");
    for (const type of ["PDF", "Word", "PowerPoint", "HTML", "Markdown", "text"])
      expect(problem.detail).toContain(type);
  });

  it("refuses content that does not match its extension", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const mismatches: [filename: string, bytes: Uint8Array][] = [
      ["fake.pdf", encode("just some text")],
      ["x.txt", await readCorpus("docx/category-level.docx")],
      ["x.html", await readCorpus("pptx/fake-power-point-table.pptx")],
    ];
    for (const [filename, bytes] of mismatches) {
      const response = await uploadRequest(tenant.client, collection.id, filename, bytes);
      expect(response.status, filename).toBe(415);
    }
  });

  it("names what a file really is when its content is not what its extension says", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    // A Windows program renamed .pdf: its first bytes are the MZ header of every .exe.
    const program = new Uint8Array(4096);
    program.set([0x4d, 0x5a, 0x90, 0x00, 0x03]);
    const cases: [filename: string, bytes: Uint8Array, declared: string, detected: string][] = [
      ["setup.pdf", program, "pdf", "executable"],
      ["notes.pdf", encode("just some text"), "pdf", "text"],
      ["slides.docx", await readCorpus("pptx/fake-power-point-table.pptx"), "docx", "pptx"],
      ["report.txt", await readCorpus("docx/category-level.docx"), "txt", "docx"],
    ];
    for (const [filename, bytes, declared, detected] of cases) {
      const problem = await expectProblemBody(
        await uploadRequest(tenant.client, collection.id, filename, bytes),
        415,
      );
      expect(problem, filename).toMatchObject({
        code: "file_type_mismatch",
        declared_format: declared,
        detected_type: detected,
      });
      expect(problem.detail, filename).toContain(`is not a valid .${declared} file`);
    }
    expect((await tenant.client.expectJson(200, "GET", "documents", DocumentPageSchema)).data).toEqual([]);
  });

  it("validates the form: a missing file, metadata that is not an object", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const form = new FormData();
    form.append("metadata", "{}");
    const missing = await tenant.client.expectProblem(400, "POST", `documents/upload/${collection.id}`, {
      body: form,
    });
    expect(fieldsOf(missing)).toEqual(["form.file"]);
    const badMetadata = await uploadRequest(tenant.client, collection.id, "a.txt", encode("hello"), "[1,2]");
    expect(fieldsOf(await expectProblemBody(badMetadata, 400))).toEqual(["form.metadata"]);
  });

  it("answers 404 for a collection that is not the caller's", async () => {
    const owner = await createTenant();
    const intruder = await createTenant();
    const collection = await createCollection(owner);
    const response = await uploadRequest(intruder.client, collection.id, "a.txt", encode("hello"));
    expect(response.status).toBe(404);
    // Before anything on the file: neither its type, nor content the collection already holds.
    const refusedType = await uploadRequest(intruder.client, collection.id, "a.exe", encode("MZ"));
    expect(refusedType.status).toBe(404);
    expect((await uploadRequest(owner.client, collection.id, "a.txt", encode("hello"))).status).toBe(202);
    const sameContent = await uploadRequest(intruder.client, collection.id, "a.txt", encode("hello"));
    expect(sameContent.status).toBe(404);
  });

  it("fails an empty file with a sentence a user understands", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const document = await uploadCorpus(tenant, collection.id, "txt/empty.txt");
    const failed = await waitForDocument(tenant, document.id);
    expect(failed).toMatchObject({
      status: "failed",
      error: "the file is empty",
      error_code: "empty",
      chunk_count: 0,
    });
  });
});
