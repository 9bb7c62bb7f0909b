/** English strings of the Unanswered questions page. */
export const reportsEn = {
  unanswered: {
    description:
      "What your assistants could not answer: refusals and thumbed-down answers, grouped by similar question. Add the documents they lack.",
    assistant: "Assistant",
    allAssistants: "All assistants",
    period: "Period",
    lastDays: "Last {{count}} days",
    summary: "From {{from}} to {{to}}: answers read {{answers}}, questions {{groups}}.",
    truncated: "Only the latest 2,000 answers of the period are read: narrow the period to see the rest.",
    grouping: "Questions are grouped by the rarer words they share.",
    asked: "Asked {{count}} times",
    askedOnce: "Asked once",
    refusals: "{{count}} unanswered",
    thumbsDown_one: "{{count}} thumb down",
    thumbsDown_other: "{{count}} thumbs down",
    alsoAsked: "Also asked as",
    comments: "Comments",
    retrieved: "Documents looked in",
    noneRetrieved: "No document matched: add one that answers this.",
    lastAsked: "Last asked {{when}}",
    emptyTitle: "Nothing left unanswered",
    emptyDescription:
      "No refusal and no thumb down in this period. Answers rated down in the Playground or the widget appear here.",
  },
};
