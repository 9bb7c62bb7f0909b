import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Tenants and who acts for them: members, invitations, API keys.

export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  plan: text("plan", { enum: ["free", "pro"] })
    .notNull()
    .default("free"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
  /** Set when the owner asks for the tenant's deletion: from then on it serves nothing (see delete-tenant.ts). */
  deletionRequestedAt: text("deletion_requested_at"),
});

/** The owning tenant of a row: every table of tenant data has it, indexed, and goes with the tenant. */
export const tenantRef = () =>
  text("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });

export const memberships = sqliteTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    /** The identity provider's user id (Clerk's `sub`). */
    userId: text("user_id").notNull(),
    role: text("role", { enum: ["owner", "admin", "member"] }).notNull(),
    /** The user's email when it joined (from the session token's `email` claim), shown in member lists. */
    email: text("email"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("memberships_tenant_user_idx").on(t.tenantId, t.userId),
    index("memberships_tenant_idx").on(t.tenantId),
    index("memberships_user_idx").on(t.userId),
  ],
);

/**
 * An invitation to join a tenant with a role, addressed to an email: the signed-in user whose
 * session token carries that email accepts it (which deletes it and writes the membership).
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    /** Lower-cased. */
    email: text("email").notNull(),
    role: text("role", { enum: ["owner", "admin", "member"] }).notNull(),
    /** The user id of the person who invited. */
    invitedBy: text("invited_by").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [
    uniqueIndex("invitations_tenant_email_idx").on(t.tenantId, t.email),
    index("invitations_tenant_idx").on(t.tenantId),
    index("invitations_email_idx").on(t.email),
  ],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: tenantRef(),
    name: text("name").notNull(),
    /** The first characters of the key, shown in lists so a key can be recognised. */
    prefix: text("prefix").notNull(),
    /** Hex SHA-256 of the whole key; the key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    /** What the key may do in its tenant; never above its creator's role, never owner. */
    role: text("role", { enum: ["admin", "member"] })
      .notNull()
      .default("member"),
    /** The user id, or the id of the key (`key_…`) that created it: a key's revocation takes its keys along. */
    createdBy: text("created_by"),
    createdAt: text("created_at").notNull(),
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash_idx").on(t.keyHash), index("api_keys_tenant_idx").on(t.tenantId)],
);
