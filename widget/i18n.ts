/** The widget's own sentences, in every language it speaks. Problem details stay in English for developers. */
const en = {
  openChat: "Open chat",
  closeChat: "Close chat",
  newConversation: "New conversation",
  defaultTitle: "Ask us anything",
  defaultGreeting: "Hello! Ask me a question and I will answer from this site's documents.",
  subtitle: "Answers cite their sources",
  placeholder: "Ask a question…",
  send: "Send",
  messages: "Conversation",
  you: "You",
  assistant: "Assistant",
  suggestions: "Suggested questions",
  thinking: "Looking through the documents…",
  sources: "Sources",
  page: "page {n}",
  retry: "Try again",
  poweredBy: "Powered by Ancre",
  interrupted: "The answer was interrupted.",
  originRefused: "This assistant is not available on this website.",
  keyInvalid:
    "This chat is not set up correctly: its key is unknown or was replaced. Please tell the site owner.",
  widgetDisabled: "This chat is switched off for now.",
  quota: "The assistant has reached its limit of questions for now. You can ask again {when}.",
  rateLimited: "You are sending messages too quickly. Please wait and try again {when}.",
  network: "The assistant cannot be reached. Check your connection and try again.",
  sessionExpired: "Your session has ended. Reload the page to keep chatting.",
  unavailable: "The assistant cannot answer right now. Please try again in a moment.",
  tooLong: "Your message is too long. Please shorten it and try again.",
  conversationGone: "This conversation is no longer available; a new one has started.",
  generic: "Something went wrong. Please try again.",
  soon: "in a moment",
  atTime: "at {time}",
  previewAnswer:
    "This is a preview: on your site, the assistant answers here from your documents and cites its sources.",
  quoted: "Quoted from your documents",
  rateAnswer: "Rate this answer",
  helpful: "Helpful",
  notHelpful: "Not helpful",
  comment: "What was missing? (optional)",
  sendComment: "Send",
  thanks: "Thanks for your feedback.",
};

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

const fr: Catalogue = {
  openChat: "Ouvrir la discussion",
  closeChat: "Fermer la discussion",
  newConversation: "Nouvelle conversation",
  defaultTitle: "Posez-nous vos questions",
  defaultGreeting: "Bonjour ! Posez-moi une question, je réponds à partir des documents de ce site.",
  subtitle: "Chaque réponse cite ses sources",
  placeholder: "Posez votre question…",
  send: "Envoyer",
  messages: "Conversation",
  you: "Vous",
  assistant: "Assistant",
  suggestions: "Questions suggérées",
  thinking: "Recherche dans les documents…",
  sources: "Sources",
  page: "page {n}",
  retry: "Réessayer",
  poweredBy: "Propulsé par Ancre",
  interrupted: "La réponse a été interrompue.",
  originRefused: "Cet assistant n’est pas disponible sur ce site.",
  keyInvalid:
    "Cette discussion n’est pas configurée correctement : sa clé est inconnue ou a été remplacée. Prévenez le responsable du site.",
  widgetDisabled: "Cette discussion est désactivée pour le moment.",
  quota:
    "L’assistant a atteint sa limite de questions pour le moment. Vous pourrez en poser de nouveau {when}.",
  rateLimited: "Vous envoyez des messages trop vite. Patientez puis réessayez {when}.",
  network: "L’assistant est injoignable. Vérifiez votre connexion et réessayez.",
  sessionExpired: "Votre session a expiré. Rechargez la page pour continuer.",
  unavailable: "L’assistant ne peut pas répondre pour le moment. Réessayez dans un instant.",
  tooLong: "Votre message est trop long. Raccourcissez-le et réessayez.",
  conversationGone: "Cette conversation n’est plus disponible ; une nouvelle a commencé.",
  generic: "Une erreur est survenue. Veuillez réessayer.",
  soon: "dans un instant",
  atTime: "à {time}",
  previewAnswer:
    "Ceci est un aperçu : sur votre site, l’assistant répond ici à partir de vos documents et cite ses sources.",
  quoted: "Extrait de vos documents",
  rateAnswer: "Noter cette réponse",
  helpful: "Utile",
  notHelpful: "Pas utile",
  comment: "Qu’est-ce qui manquait ? (facultatif)",
  sendComment: "Envoyer",
  thanks: "Merci pour votre avis.",
};

const catalogues: Record<string, Catalogue> = { en, fr };

/** The catalogue's language for a setting (`auto`, `fr`, `fr-CA`…), else the browser's, else English. */
export function pickLanguage(setting: string | null | undefined, browser: readonly string[]): string {
  const wanted = setting && setting !== "auto" ? [setting] : browser;
  for (const tag of wanted) {
    const base = tag.toLowerCase().split("-")[0] ?? "";
    if (base in catalogues) return base;
  }
  return "en";
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(language: string): Translate {
  const catalogue = catalogues[language] ?? en;
  return (key, values = {}) => catalogue[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/** What the widget knows of a failed request: an HTTP problem, or no answer at all. */
export interface Failure {
  status?: number;
  code?: string;
  /** When a quota or rate limit lets the visitor ask again (ISO time or Retry-After seconds). */
  resetsAt?: string | null;
  retryAfterSeconds?: number | null;
  network?: boolean;
}

const codeMessages: Record<string, MessageKey> = {
  widget_origin_missing: "originRefused",
  widget_origin_not_allowed: "originRefused",
  widget_key_invalid: "keyInvalid",
  widget_disabled: "widgetDisabled",
  quota_exceeded: "quota",
  plan_limit_reached: "quota",
  rate_limited: "rateLimited",
  unauthenticated: "sessionExpired",
  payload_too_large: "tooLong",
  upstream_error: "unavailable",
  service_unavailable: "unavailable",
  not_configured: "unavailable",
};

/** A sentence for the visitor, never the problem's JSON: by its code, else by its status. */
export function failureMessage(failure: Failure, t: Translate, language: string, now = Date.now()): string {
  if (failure.network) return t("network");
  const key =
    (failure.code && codeMessages[failure.code]) ||
    (failure.status === 403 ? "originRefused" : undefined) ||
    (failure.status === 429 ? "rateLimited" : undefined) ||
    (failure.status && failure.status >= 500 ? "unavailable" : "generic");
  return t(key, { when: whenAgain(failure, t, language, now) });
}

/** "in 12 minutes", "at 14:05" or "in a moment", from `resets_at` or Retry-After. */
function whenAgain(failure: Failure, t: Translate, language: string, now: number): string {
  const at = failure.resetsAt
    ? Date.parse(failure.resetsAt)
    : failure.retryAfterSeconds
      ? now + failure.retryAfterSeconds * 1000
      : Number.NaN;
  if (Number.isNaN(at)) return t("soon");
  const minutes = Math.ceil((at - now) / 60_000);
  if (minutes <= 1) return t("soon");
  if (minutes < 60)
    return new Intl.RelativeTimeFormat(language, { numeric: "auto" }).format(minutes, "minute");
  const sameDay = minutes < 20 * 60;
  const time = new Intl.DateTimeFormat(language, {
    weekday: sameDay ? undefined : "long",
    hour: "numeric",
    minute: "2-digit",
  }).format(at);
  return t("atTime", { time });
}
