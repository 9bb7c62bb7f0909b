import { countTokens } from "../../ingest/tokens";
import { memoByText } from "../../lib/memo";
import { answerMessages } from "../../lib/text/answer-messages";
import type { Language } from "../../lib/text/language";
import type { ChatTurn, GenerateRequest, Source, Usage } from "./types";

/** A Chat Completions message, in the shape both OpenAI and Workers AI accept. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Tokens of history kept in an answer prompt by default: enough for a few exchanges. */
export const HISTORY_TOKEN_BUDGET = 2000;
/** A rewrite only needs the last exchange or two to resolve "he" or "that one". */
const REWRITE_HISTORY_TOKEN_BUDGET = 1000;
/**
 * Tokens of sources an answer prompt holds at most (ten full chunks of the default size): past
 * that, lower-ranked sources add cost more than grounding, whatever `top_k` asks for.
 */
export const SOURCES_TOKEN_BUDGET = 8000;
/** The longest answer a model may write. */
export const ANSWER_MAX_TOKENS = 1024;
/** The longest standalone query a rewrite may write. */
export const REWRITE_MAX_TOKENS = 100;
/** What a source's header (`[12] (file, p. 3, section)`) may add to its text, for the bounds. */
const SOURCE_HEADER_TOKENS = 50;

const GROUNDING_RULES = [
  "Answer the user's question using only the numbered sources provided below.",
  "Cite each statement with the number of the source that supports it in square brackets, like [1] or [2][3].",
  "Cite only sources that support the statement, and never a number that is not in the list.",
  "If the sources do not contain the answer, say that you don't know; do not answer from general knowledge.",
].join(" ");

/** The language rule of an answer: the language it must be in when known, else the question's. */
export function answerLanguageRule(language: Language | undefined): string {
  return language
    ? `Answer in ${answerMessages(language).englishName}, whatever the language of the sources.`
    : "Answer in the language of the question.";
}

const REWRITE_RULES = [
  "Rewrite the follow-up question as one standalone search query that can be understood without the conversation.",
  "Replace pronouns and references with what they refer to in the conversation, keep the language of the question, and add nothing else.",
  "Reply with the query only.",
].join(" ");

/** The rewrite's language rule: the query stays in the question's language, named when known. */
export function rewriteLanguageRule(language: Language | undefined): string {
  return language
    ? `The follow-up question is in ${answerMessages(language).englishName}: write the query in ${answerMessages(language).englishName}.`
    : "";
}

// The fixed parts of the token ceilings (the rules, and the longest language rules), counted once
// per isolate on first use rather than on every turn, and not at start-up (the tables load then).
let fixedTokens:
  | { grounding: number; languageRule: number; rewrite: number; rewriteLanguageRule: number }
  | undefined;
const fixed = () =>
  (fixedTokens ??= {
    grounding: countTokens(GROUNDING_RULES),
    languageRule: countTokens(answerLanguageRule("pt")),
    rewrite: countTokens(REWRITE_RULES),
    rewriteLanguageRule: countTokens(rewriteLanguageRule("pt")),
  });

/** `[1] (report.pdf, p. 3, Introduction) text`: the header shows only what is known. */
export function formatSource(source: Source): string {
  const where = [
    source.filename,
    source.page != null ? `p. ${source.page}` : undefined,
    source.section ?? undefined,
  ].filter(Boolean);
  const header = where.length > 0 ? `[${source.index}] (${where.join(", ")})` : `[${source.index}]`;
  return `${header} ${source.text.trim()}`;
}

/** Tokens of a formatted source: the same chunks come back turn after turn, counted once each. */
const sourceTokens = memoByText(256, (formatted) => countTokens(formatted));

/** The best-ranked sources whose formatted text fits in `budget` tokens (the first one always). */
export function sourcesWithinBudget(sources: Source[], budget = SOURCES_TOKEN_BUDGET): Source[] {
  let used = 0;
  const kept: Source[] = [];
  for (const source of sources) {
    used += sourceTokens(formatSource(source));
    if (used > budget && kept.length > 0) break;
    kept.push(source);
  }
  return kept;
}

// Markers in earlier answers point at that turn's sources, not this one's: left in, they invite
// the model to cite numbers that now mean something else.
const CITATION_MARKER = /\s?\[\d+\]/g;

/** The most recent turns whose tokens fit in `budget`; older ones are dropped first. */
export function recentHistory(history: ChatTurn[], budget: number): ChatMessage[] {
  const kept: ChatMessage[] = [];
  let used = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i]!;
    const content = turn.role === "assistant" ? turn.content.replace(CITATION_MARKER, "") : turn.content;
    used += countTokens(content);
    if (used > budget) break;
    kept.unshift({ role: turn.role, content });
  }
  return kept;
}

/**
 * The messages of a grounded answer, in this order: the assistant's prompt with the grounding
 * rules and the language to answer in, the numbered sources, the recent history (within
 * `historyTokenBudget`), the question.
 */
export function buildAnswerMessages(
  request: Pick<GenerateRequest, "systemPrompt" | "question" | "sources" | "history" | "language">,
  historyTokenBudget = HISTORY_TOKEN_BUDGET,
): ChatMessage[] {
  const persona = request.systemPrompt.trim();
  const rules = `${GROUNDING_RULES} ${answerLanguageRule(request.language)}`;
  const sources =
    request.sources.length > 0
      ? `Sources:\n\n${request.sources.map(formatSource).join("\n\n")}`
      : "Sources: none were found for this question.";
  return [
    { role: "system", content: persona ? `${persona}\n\n${rules}` : rules },
    { role: "system", content: sources },
    ...recentHistory(request.history, historyTokenBudget),
    { role: "user", content: request.question },
  ];
}

/**
 * The messages asking a model to turn a follow-up question into a standalone search query, in
 * the question's language (`language`, when it was detected).
 */
export function buildRewriteMessages(
  question: string,
  history: ChatTurn[],
  language?: Language,
): ChatMessage[] {
  const conversation = recentHistory(history, REWRITE_HISTORY_TOKEN_BUDGET)
    .map((turn) => `${turn.role === "user" ? "User" : "Assistant"}: ${turn.content}`)
    .join("\n");
  return [
    { role: "system", content: [REWRITE_RULES, rewriteLanguageRule(language)].filter(Boolean).join(" ") },
    { role: "user", content: `Conversation:\n${conversation}\n\nFollow-up question: ${question}` },
  ];
}

/** What a turn that calls a model can use at most, known before retrieval. */
export interface TurnShape {
  systemPrompt: string;
  question: string;
  /** How many sources retrieval may return, and how many tokens each holds at most. */
  topK: number;
  chunkTokens: number;
  /** Whether earlier turns come with the question (then a rewrite runs and history is sent). */
  withHistory: boolean;
}

/**
 * The most tokens a turn's model calls can use, prompt and reply: the answer prompt as
 * buildAnswerMessages bounds it (its sources within SOURCES_TOKEN_BUDGET, its history within
 * HISTORY_TOKEN_BUDGET) plus ANSWER_MAX_TOKENS, and the rewrite of a follow-up when there is one.
 */
export function turnTokenCeiling(turn: TurnShape): number {
  const perSource = turn.chunkTokens + SOURCE_HEADER_TOKENS;
  const sources = Math.min(turn.topK * perSource, Math.max(SOURCES_TOKEN_BUDGET, perSource));
  const framing = TOKENS_PER_MESSAGE * 4 + REPLY_PRIMING_TOKENS;
  const question = countTokens(turn.question);
  const answer =
    countTokens(turn.systemPrompt) +
    fixed().grounding +
    fixed().languageRule +
    sources +
    question +
    framing +
    ANSWER_MAX_TOKENS;
  if (!turn.withHistory) return answer;
  const rewrite =
    fixed().rewrite +
    fixed().rewriteLanguageRule +
    REWRITE_HISTORY_TOKEN_BUDGET +
    question +
    framing +
    REWRITE_MAX_TOKENS;
  return answer + HISTORY_TOKEN_BUDGET + rewrite;
}

/** Adds the usage of two model calls of one turn. */
export const addUsage = (a: Usage, b: Usage): Usage => ({
  promptTokens: a.promptTokens + b.promptTokens,
  completionTokens: a.completionTokens + b.completionTokens,
  totalTokens: a.totalTokens + b.totalTokens,
  estimated: a.estimated || b.estimated,
});

/** Usage of a turn that called no model. */
export const NO_USAGE: Usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false };

// OpenAI's documented accounting for chat prompts: each message costs 3 tokens of framing, and
// the reply is primed with 3 more.
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING_TOKENS = 3;

/** Usage counted with gpt-tokenizer, for providers that do not report theirs. */
export function estimateUsage(messages: ChatMessage[], completion: string): Usage {
  const promptTokens =
    messages.reduce((sum, message) => sum + TOKENS_PER_MESSAGE + countTokens(message.content), 0) +
    REPLY_PRIMING_TOKENS;
  const completionTokens = countTokens(completion);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
}
