// Apart from the message's schema: the upload path reads it, and must not evaluate zod to do so.

/**
 * A file of at most this many bytes (not a PDF) travels in its upload's first message, base64
 * (`content`), so that the consumer need not read it back from R2, which still holds the original.
 * Queues take messages of up to 128 KB: 32 KB is at most 43.7 KB in base64, a third of the limit,
 * whatever the message's other fields and its serialisation add.
 */
export const MESSAGE_CONTENT_BYTES = 32 * 1024;
