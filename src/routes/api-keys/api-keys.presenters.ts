import type { ApiKeyRow } from "../../storage/repositories/api-keys.repo";

export const presentApiKey = (row: ApiKeyRow) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  role: row.role,
  created_at: row.createdAt,
  last_used_at: row.lastUsedAt,
});
