// The PDFs an isolate keeps open between the queue messages of one document. A large PDF spans
// several messages, which the queue often hands to the same isolate one after another: each used
// to fetch the whole file from R2 again and have pdf.js parse its structure again (the 400-page
// IRS manual spent as much CPU opening the file over its 16 messages as extracting its text).
// Held here, the next message asks R2 only whether the object changed (a conditional GET whose
// answer has no body when it did not) and reads on from the open document.
import type { PdfDocumentHandle } from "../../ingest/parse";

/** A document's open PDF, and what it was opened from. */
export interface OpenPdf {
  pdf: PdfDocumentHandle;
  /** R2's etag of the file the PDF was opened from: another version of the file has another. */
  etag: string;
  /** The file's size: pdf.js holds the whole file while the document is open. */
  bytes: number;
}

interface Held extends OpenPdf {
  key: string;
  lastUsed: number;
}

/** A held PDF unused for this long is closed: a document's next message comes within seconds or elsewhere. */
export const OPEN_PDF_IDLE_MS = 60_000;

/** At most this many documents are held: one being ingested, and one more read side by side. */
const MAX_HELD = 2;

/**
 * The open PDFs of this isolate, keyed by tenant and document, bounded by `budgetBytes` of file
 * (their parsed objects are dropped after every batch, see `pdf.cleanup()` in parse/pdf.ts) and
 * by MAX_HELD documents. A message takes its document's PDF (no other message can use it
 * meanwhile), checks the file's etag, and keeps it again for the next batch; one that fails closes
 * it. 0 bytes turns holding off.
 */
export class OpenPdfs {
  readonly #held = new Map<string, Held>();

  constructor(
    readonly budgetBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The document's open PDF if this isolate holds it, now the caller's: it is no longer held until
   * `keep` hands it back. Whether it still matches the file is for the caller to check (its etag).
   */
  async take(tenantId: string, documentId: string): Promise<OpenPdf | undefined> {
    await this.#closeIdle();
    const key = heldKey(tenantId, documentId);
    const held = this.#held.get(key);
    if (!held) return undefined;
    this.#held.delete(key);
    return { pdf: held.pdf, etag: held.etag, bytes: held.bytes };
  }

  /**
   * Closes held PDFs, least recently used first, until `bytes` more fit within the budget beside
   * them: called before a file is opened, so that memory never holds more than the budget of
   * other documents besides it.
   */
  async makeRoom(bytes: number): Promise<void> {
    await this.#closeIdle();
    for (const held of [...this.#held.values()].sort((a, b) => a.lastUsed - b.lastUsed)) {
      if (this.#heldBytes() + bytes <= this.budgetBytes) return;
      await this.#close(held);
    }
  }

  /**
   * Holds the document's open PDF for its next batch, when it fits the budget (closing the least
   * recently used others to make room, and keeping at most MAX_HELD); otherwise closes it.
   */
  async keep(tenantId: string, documentId: string, open: OpenPdf): Promise<void> {
    const key = heldKey(tenantId, documentId);
    const previous = this.#held.get(key);
    if (previous) await this.#close(previous);
    if (open.bytes > this.budgetBytes) {
      await open.pdf.close();
      return;
    }
    await this.makeRoom(open.bytes);
    while (this.#held.size >= MAX_HELD) {
      const oldest = [...this.#held.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0]!;
      await this.#close(oldest);
    }
    this.#held.set(key, { ...open, key, lastUsed: this.now() });
  }

  /** How many documents are held and their files' bytes. */
  get size(): { documents: number; bytes: number } {
    return { documents: this.#held.size, bytes: this.#heldBytes() };
  }

  /** Closes every held PDF. */
  async clear(): Promise<void> {
    for (const held of [...this.#held.values()]) await this.#close(held);
  }

  #heldBytes(): number {
    let total = 0;
    for (const held of this.#held.values()) total += held.bytes;
    return total;
  }

  async #closeIdle(): Promise<void> {
    const now = this.now();
    for (const held of [...this.#held.values()]) {
      if (now - held.lastUsed > OPEN_PDF_IDLE_MS) await this.#close(held);
    }
  }

  async #close(held: Held): Promise<void> {
    this.#held.delete(held.key);
    // A PDF that fails to close frees nothing more by being retried: it is dropped either way.
    await held.pdf.close().catch(() => undefined);
  }
}

const heldKey = (tenantId: string, documentId: string) => `${tenantId}\u0000${documentId}`;
