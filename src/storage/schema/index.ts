// The D1 schema, by domain; drizzle-kit reads it from here (drizzle.config.ts).
// Timestamps are ISO 8601 UTC strings: they sort as text and read the same in SQL and JSON.
// Ids are opaque, prefixed, time-ordered strings (see lib/ids.ts).

export * from "./assistants";
export * from "./audit";
export * from "./billing";
export * from "./conversations";
export * from "./documents";
export * from "./integrations";
export * from "./tenancy";
export * from "./webhooks";
