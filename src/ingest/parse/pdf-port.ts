// pdf.js runs its "worker" in the isolate's own thread (unpdf's serverless build), talking to it
// through a loopback port that structured-clones every message, as a real worker's port would.
// A page's text comes back as chunks of text items, and cloning them is a large share of pdf.js'
// CPU on a text page: the worker builds each item and style afresh and never touches them once
// sent (it sends the same `textContent` object each time, but replaces its `items` and `styles`
// rather than emptying them), so this port hands a chunk over as a new object holding the sent
// items and styles. Every other message is cloned as pdf.js' own LoopbackPort does: an operator
// list's arrays, for one, are emptied by the worker once sent.

type Listener = (event: { data: unknown }) => void;
/** What pdf.js transfers with a message (in Workers and in Node alike). */
type Transfers = NonNullable<Parameters<typeof structuredClone>[1]>["transfer"];

/** pdf.js' MessageHandler `stream` code of a chunk enqueued on a stream (`StreamKind.ENQUEUE`). */
const STREAM_ENQUEUE = 4;

/** Whether a message is a chunk of a page's text content (`{ items, styles, lang }`), sent without transfers. */
export function isTextContentChunk(message: unknown, transfer: unknown): boolean {
  if (transfer || typeof message !== "object" || message === null) return false;
  const { stream, chunk } = message as { stream?: unknown; chunk?: unknown };
  if (stream !== STREAM_ENQUEUE || typeof chunk !== "object" || chunk === null) return false;
  const { items, styles } = chunk as { items?: unknown; styles?: unknown };
  return Array.isArray(items) && typeof styles === "object" && styles !== null && !("fnArray" in chunk);
}

/** The port between pdf.js' API and its in-thread worker: pdf.js' LoopbackPort, text chunks not cloned. */
export class InThreadPdfPort {
  readonly #listeners = new Set<Listener>();
  readonly #delivered = Promise.resolve();

  postMessage(message: unknown, transfer?: Transfers): void {
    const event = {
      data: isTextContentChunk(message, transfer)
        ? { ...(message as object), chunk: { ...(message as { chunk: object }).chunk } }
        : structuredClone(message, transfer ? { transfer } : undefined),
    };
    // Delivered after the sender's turn, as a port does (pdf.js relies on it).
    void this.#delivered.then(() => {
      for (const listener of this.#listeners) listener.call(this, event);
    });
  }

  addEventListener(_type: "message", listener: Listener, options?: { signal?: AbortSignal }): void {
    const signal = options?.signal;
    if (signal?.aborted) return;
    this.#listeners.add(listener);
    signal?.addEventListener("abort", () => this.#listeners.delete(listener), { once: true });
  }

  removeEventListener(_type: "message", listener: Listener): void {
    this.#listeners.delete(listener);
  }

  terminate(): void {
    this.#listeners.clear();
  }
}
