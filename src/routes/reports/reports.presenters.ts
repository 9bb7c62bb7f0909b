import type { UnansweredReport } from "../../services/reports/reports.service";

export const presentUnansweredReport = (report: UnansweredReport) => ({
  from: report.from,
  to: report.to,
  assistant_id: report.assistantId,
  grouping: "terms" as const,
  answers: report.answers,
  truncated: report.truncated,
  groups: report.groups.map((group) => ({
    assistant_id: group.assistantId,
    assistant_name: group.assistantName,
    question: group.question,
    questions: group.questions,
    count: group.count,
    refusals: group.refusals,
    thumbs_down: group.thumbsDown,
    comments: group.comments,
    documents: group.documents.map((document) => ({
      document_id: document.documentId,
      filename: document.filename,
      count: document.count,
    })),
    last_asked_at: group.lastAskedAt,
  })),
});
