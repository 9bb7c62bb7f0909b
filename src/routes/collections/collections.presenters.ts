import type { CollectionRow } from "../../storage/repositories/collections.repo";

export const presentCollection = (row: CollectionRow) => ({
  id: row.id,
  name: row.name,
  description: row.description,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});
