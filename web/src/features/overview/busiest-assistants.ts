/** What the overview needs of an assistant and of the KPI action's per-assistant figures. */
export interface NamedAssistant {
  id: string;
  name: string;
}
export interface Kpi {
  key: string;
  value: number;
}

export interface RankedAssistant extends NamedAssistant {
  questions: number;
}

const ASSISTANT_KPI = /^assistant\.(.+)\.messages$/;

/**
 * The tenant's assistants, busiest first: questions this period from the KPI action
 * (`assistant.<id>.messages`; an assistant it does not name had none), then by name; `limit` of them.
 */
export function rankAssistants(assistants: NamedAssistant[], kpis: Kpi[], limit = 5): RankedAssistant[] {
  const questions = new Map<string, number>();
  for (const kpi of kpis) {
    const id = ASSISTANT_KPI.exec(kpi.key)?.[1];
    if (id) questions.set(id, kpi.value);
  }
  return assistants
    .map((assistant) => ({ ...assistant, questions: questions.get(assistant.id) ?? 0 }))
    .sort((a, b) => b.questions - a.questions || a.name.localeCompare(b.name))
    .slice(0, limit);
}
