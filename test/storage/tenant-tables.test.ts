import { is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { TENANT_DATA_TABLES } from "../../src/storage/repositories/tenant-deletion.repo";
import * as schema from "../../src/storage/schema";

const tablesOfSchema = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable =>
  is(value, SQLiteTable),
);

describe("the tables a tenant's deletion empties", () => {
  it("include every table of the schema that has a tenant_id column", () => {
    const withTenantId = tablesOfSchema
      .map((table) => getTableConfig(table))
      .filter((config) => config.columns.some((column) => column.name === "tenant_id"))
      .map((config) => config.name)
      .sort();
    expect(withTenantId.length).toBeGreaterThan(5);
    const listed = Object.values(TENANT_DATA_TABLES)
      .map((table) => getTableConfig(table).name)
      .sort();
    expect(listed).toEqual(withTenantId);
  });

  it("are named in the list by their table names, as progress reports them", () => {
    for (const [name, table] of Object.entries(TENANT_DATA_TABLES)) {
      expect(getTableConfig(table).name).toBe(name);
    }
  });
});
