import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { databaseFor } from "../../src/storage/db";
import {
  deleteDocumentsPage,
  deleteTenantRowsPage,
} from "../../src/storage/repositories/tenant-deletion.repo";
import { createCollection, createTenant } from "../helpers/tenants";

/** Documents of a tenant, each with two chunks, written straight to D1. */
async function insertDocuments(tenantId: string, collectionId: string, count: number) {
  const now = new Date().toISOString();
  const counter = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})`;
  await env.DB.batch([
    env.DB.prepare(
      `${counter} INSERT INTO documents (id, tenant_id, collection_id, filename, format, content_type, size_bytes,
         sha256, blob_key, status, created_at, updated_at)
       SELECT ?1 || '_doc' || i, ?1, ?2, 'f.txt', 'txt', 'text/plain', 1, 'sha' || i, 'k', 'ready', ?3, ?3 FROM n`,
    ).bind(tenantId, collectionId, now),
    env.DB.prepare(
      `${counter} INSERT INTO chunks (id, tenant_id, collection_id, document_id, position, text, token_count, generation)
       SELECT ?1 || '_chk' || i || '_' || p.v, ?1, ?2, ?1 || '_doc' || i, p.v, 'text', 1, 1
       FROM n, (SELECT 0 AS v UNION ALL SELECT 1) AS p`,
    ).bind(tenantId, collectionId),
  ]);
}

const countOf = async (table: string, tenantId: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`)
    .bind(tenantId)
    .first<{ n: number }>())!.n;

describe("the tenant deletion repository", () => {
  it("deletes documents by pages larger than D1's 100 bound parameters, chunks with them", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    await insertDocuments(tenant.id, collection.id, 150);
    const db = databaseFor(env.DB);
    expect(await deleteDocumentsPage(db, tenant.id, 120)).toBe(120);
    expect(await countOf("documents", tenant.id)).toBe(30);
    expect(await countOf("chunks", tenant.id)).toBe(60);
    expect(await deleteDocumentsPage(db, tenant.id, 120)).toBe(30);
    expect(await countOf("chunks", tenant.id)).toBe(0);
  });

  it("deletes rows within a budget per call and removes the tenant row only when all are gone", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    await insertDocuments(tenant.id, collection.id, 10);
    const db = databaseFor(env.DB);
    // 20 chunks, 10 documents, 1 collection, then memberships and the tenant itself.
    expect(await deleteTenantRowsPage(db, tenant.id, 25, true)).toBe(false);
    expect(await countOf("documents", tenant.id)).toBe(5);
    expect(await deleteTenantRowsPage(db, tenant.id, 25, true)).toBe(true);
    const row = await env.DB.prepare("SELECT id FROM tenants WHERE id = ?").bind(tenant.id).first();
    expect(row).toBeNull();
    expect(await countOf("memberships", tenant.id)).toBe(0);
  });

  it("keeps the tenant row, its memberships and keys when asked to, until the final pass", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    await insertDocuments(tenant.id, collection.id, 3);
    const db = databaseFor(env.DB);
    expect(await deleteTenantRowsPage(db, tenant.id, 1000, false)).toBe(true);
    expect(await countOf("documents", tenant.id)).toBe(0);
    expect(await countOf("memberships", tenant.id)).toBe(1);
    const row = await env.DB.prepare("SELECT id FROM tenants WHERE id = ?").bind(tenant.id).first();
    expect(row).toEqual({ id: tenant.id });
  });
});
