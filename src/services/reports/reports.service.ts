import type { Verb } from "../../context";
import { AppError } from "../../errors";
import { loadStemmers } from "../../lib/text/analyzer";
import { detectLanguage, loadLanguageDetector } from "../../lib/text/language";
import { contentTerms } from "../../lib/text/terms";
import {
  documentFilenames,
  type UnansweredRow,
  unansweredAnswers,
} from "../../storage/repositories/feedback.repo";
import { getAssistant } from "../assistants/assistants.service";
import { groupSimilarQuestions } from "./question-groups";

const DAY_MS = 86_400_000;
/** The period reported when none is asked for: the last 30 days, today included. */
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;
/** Answers read for one report, newest first: a report of more says it was cut. */
export const MAX_REPORTED_ANSWERS = 2000;
const QUESTIONS_PER_GROUP = 5;
const DOCUMENTS_PER_GROUP = 5;
const COMMENTS_PER_GROUP = 3;

export interface UnansweredGroup {
  assistantId: string;
  assistantName: string;
  /** The group's most asked wording (the latest of equals). */
  question: string;
  /** Its distinct wordings, most asked first. */
  questions: string[];
  count: number;
  refusals: number;
  thumbsDown: number;
  comments: string[];
  /** The documents retrieved for these questions, most often first; unknown ones are left out. */
  documents: { documentId: string; filename: string; count: number }[];
  lastAskedAt: string;
}

export interface UnansweredReport {
  from: string;
  to: string;
  assistantId: string | null;
  answers: number;
  truncated: boolean;
  groups: UnansweredGroup[];
}

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** The days reported, from and to included; refused when backwards or too long. */
function reportedDays(input: { from?: string; to?: string }): { from: string; to: string } {
  const to = input.to ?? utcDay(new Date());
  const from =
    input.from ?? utcDay(new Date(Date.parse(`${to}T00:00:00.000Z`) - (DEFAULT_DAYS - 1) * DAY_MS));
  const days = (Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS + 1;
  if (days < 1) {
    throw new AppError("validation_failed", "`to` is before `from`", {
      errors: [{ field: "query.to", message: "must not be before from" }],
    });
  }
  if (days > MAX_DAYS) {
    throw new AppError("validation_failed", `At most ${MAX_DAYS} days per report`, {
      errors: [{ field: "query.from", message: "range too long" }],
    });
  }
  return { from, to };
}

/** The distinct values of `values`, most frequent first (ties in order of first appearance). */
function byFrequency(values: string[]): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
}

function summarise(rows: UnansweredRow[], filenames: Map<string, string>): UnansweredGroup {
  const first = rows[0]!;
  // Rows come newest first: among wordings asked as often, the latest leads.
  const wordings = byFrequency(rows.map((row) => row.question?.trim() ?? ""));
  const documents = byFrequency(rows.flatMap((row) => row.retrievedDocumentIds ?? []))
    .filter(({ value }) => filenames.has(value))
    .slice(0, DOCUMENTS_PER_GROUP)
    .map(({ value, count }) => ({ documentId: value, filename: filenames.get(value)!, count }));
  return {
    assistantId: first.assistantId,
    assistantName: first.assistantName,
    question: wordings[0]!.value,
    questions: wordings.slice(0, QUESTIONS_PER_GROUP).map(({ value }) => value),
    count: rows.length,
    refusals: rows.filter((row) => row.citationCount === 0).length,
    thumbsDown: rows.filter((row) => row.rating === "down").length,
    comments: rows
      .flatMap((row) => (row.rating === "down" && row.comment ? [row.comment] : []))
      .slice(0, COMMENTS_PER_GROUP),
    documents,
    lastAskedAt: first.createdAt,
  };
}

/**
 * What the tenant's assistants could not answer over a period: answers that cite nothing (the
 * answerer refused or found nothing) and thumbed-down answers, grouped by similar question (see
 * question-groups.ts) within each assistant, most frequent group first, each with its counts, the
 * wordings asked, the comments left and the documents retrieved for it. For owners and admins.
 */
export async function reportUnanswered({
  ctx,
  deps,
  input,
}: Verb<{ assistantId?: string; from?: string; to?: string }>): Promise<UnansweredReport> {
  const days = reportedDays(input);
  if (input.assistantId) await getAssistant({ ctx, deps, input: { assistantId: input.assistantId } });
  const [rows] = await Promise.all([
    unansweredAnswers(deps.db, ctx.tenantId, {
      from: `${days.from}T00:00:00.000Z`,
      to: new Date(Date.parse(`${days.to}T00:00:00.000Z`) + DAY_MS).toISOString(),
      assistantId: input.assistantId,
      limit: MAX_REPORTED_ANSWERS + 1,
    }),
    loadLanguageDetector(),
    loadStemmers(),
  ]);
  const truncated = rows.length > MAX_REPORTED_ANSWERS;
  const answers = rows.slice(0, MAX_REPORTED_ANSWERS);
  const groups = groupSimilarQuestions(
    answers.map((row) => {
      const question = row.question ?? "";
      return {
        row,
        scope: row.assistantId,
        terms: contentTerms(question, detectLanguage(question)),
        normalized: question.trim().toLowerCase(),
      };
    }),
  );
  const filenames = await documentFilenames(deps.db, ctx.tenantId, [
    ...new Set(answers.flatMap((row) => row.retrievedDocumentIds ?? [])),
  ]);
  return {
    ...days,
    assistantId: input.assistantId ?? null,
    answers: answers.length,
    truncated,
    groups: groups
      .map((group) =>
        summarise(
          group.map((item) => item.row),
          filenames,
        ),
      )
      .sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt)),
  };
}
