// The bounds of what a caller may ask, shared by /chat and /openai/chat/completions so that
// neither path accepts more than the other. Past them a request is refused before any quota.

/** Characters of one message: the question of /chat, any message of a Chat Completions request. */
export const MAX_MESSAGE_CHARS = 8_000;

/** Messages in one Chat Completions request: the conversation so far and the question. */
export const MAX_MESSAGES_PER_REQUEST = 100;

/** Characters of all the messages of one Chat Completions request together. */
export const MAX_CONVERSATION_CHARS = 64_000;
