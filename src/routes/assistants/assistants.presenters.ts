import type { AssistantWithCollections } from "../../storage/repositories/assistants.repo";

export const presentAssistant = (row: AssistantWithCollections) => ({
  id: row.id,
  name: row.name,
  system_prompt: row.systemPrompt,
  collection_ids: row.collectionIds,
  model: row.model,
  temperature: row.temperature,
  top_k: row.topK,
  language: row.language,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});
