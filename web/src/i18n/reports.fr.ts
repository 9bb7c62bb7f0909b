import type { reportsEn } from "./reports.en";

/** Les textes français de la page Questions sans réponse. */
export const reportsFr: typeof reportsEn = {
  unanswered: {
    description:
      "Ce que vos assistants n'ont pas su répondre : refus et réponses notées « pas utile », regroupés par question semblable. Ajoutez les documents qui leur manquent.",
    assistant: "Assistant",
    allAssistants: "Tous les assistants",
    period: "Période",
    lastDays: "{{count}} derniers jours",
    summary: "Du {{from}} au {{to}} : réponses lues {{answers}}, questions {{groups}}.",
    truncated:
      "Seules les 2 000 dernières réponses de la période sont lues : réduisez la période pour voir les autres.",
    grouping: "Les questions sont regroupées selon les mots les plus rares qu'elles partagent.",
    asked: "Posée {{count}} fois",
    askedOnce: "Posée une fois",
    refusals: "{{count}} sans réponse",
    thumbsDown_one: "{{count}} « pas utile »",
    thumbsDown_other: "{{count}} « pas utile »",
    alsoAsked: "Aussi formulée ainsi",
    comments: "Commentaires",
    retrieved: "Documents consultés",
    noneRetrieved: "Aucun document ne correspondait : ajoutez-en un qui y répond.",
    lastAsked: "Posée pour la dernière fois {{when}}",
    emptyTitle: "Rien sans réponse",
    emptyDescription:
      "Aucun refus ni « pas utile » sur cette période. Les réponses notées « pas utile » dans le bac à sable ou le widget apparaissent ici.",
  },
};
