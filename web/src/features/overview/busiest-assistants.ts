/** What the overview needs of an assistant, and of the summary's busiest assistants. */
export interface NamedAssistant {
  id: string;
  name: string;
}
export interface AssistantActivity {
  id: string;
  questions: number;
}

export interface RankedAssistant extends NamedAssistant {
  questions: number;
}

/**
 * The tenant's assistants, busiest first: questions this period from the summary's busiest
 * assistants (an assistant it does not name had none), then by name; `limit` of them.
 */
export function rankAssistants(
  assistants: NamedAssistant[],
  activity: AssistantActivity[],
  limit = 5,
): RankedAssistant[] {
  const questions = new Map(activity.map((assistant) => [assistant.id, assistant.questions]));
  return assistants
    .map((assistant) => ({ ...assistant, questions: questions.get(assistant.id) ?? 0 }))
    .sort((a, b) => b.questions - a.questions || a.name.localeCompare(b.name))
    .slice(0, limit);
}
