import { type Feedback, type StoredMessage, type TurnEvent, type WidgetApi, WidgetError } from "./api";
import { type Failure, failureMessage, pickLanguage, type Translate, translator } from "./i18n";
import { mergeConfig, type PageOptions, type WidgetConfig } from "./options";
import { memory } from "./store";
import { type AnswerView, WidgetView } from "./view";

const RESUME_ATTEMPTS = 4;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A turn's stream as seen so far: where a resumed stream must start, and whether it ended. */
interface Turn {
  onEvent(event: TurnEvent): void;
  ended(): boolean;
  started(): boolean;
  lastEventId(): string | null;
}

/**
 * The widget's controller: the visitor's conversation (remembered across pages), asking, and
 * following streams (resuming a broken one, replaying one still being written on load). It drives
 * a WidgetView, which owns the DOM. Built once the visitor session is known (or refused), so its
 * colours and language are final.
 */
export class ChatWidget {
  private readonly t: Translate;
  private readonly config: WidgetConfig;
  private readonly memory: ReturnType<typeof memory>;
  private readonly view: WidgetView;
  private conversationId: string | null;
  private busy = false;
  private readonly preview: boolean;
  private readonly aborter = new AbortController();

  constructor(
    host: HTMLElement,
    page: PageOptions,
    private readonly api: WidgetApi | null,
    private readonly refusal: Failure | null,
  ) {
    this.config = mergeConfig(page, api?.widget);
    const language = pickLanguage(this.config.language, navigator.languages ?? [navigator.language]);
    this.t = translator(language);
    this.preview = page.preview;
    this.memory = memory(page.key ?? "");
    this.conversationId = this.preview ? null : this.memory.read().conversationId;
    this.view = new WidgetView(host, this.config, language, this.t, {
      ask: (question) => void this.ask(question),
      restart: () => this.restart(),
    });
    void this.showConversation();
  }

  open(focus = true): void {
    this.view.open(focus);
  }

  close(): void {
    this.view.close();
  }

  /** Fills the log: the greeting, then a refusal, or the stored conversation (following an unfinished answer). */
  private async showConversation(): Promise<void> {
    this.view.showGreeting();
    if (this.preview) {
      this.view.showSuggestions(true);
      this.setEnabled(true);
      return;
    }
    if (!this.api) {
      this.view.showRefusal(failureMessage(this.refusal ?? { network: true }, this.t, this.view.language));
      return;
    }
    if (!this.conversationId) return this.showSuggestions();
    const conversationId = this.conversationId;
    let messages: StoredMessage[];
    try {
      messages = await this.api.history(conversationId);
    } catch (error) {
      if (error instanceof WidgetError && error.failure.status === 404) this.remember(null);
      else this.view.appendAnswer().fail(this.describe(error));
      return this.showSuggestions();
    }
    for (const message of messages) {
      if (message.role === "user") {
        this.view.appendQuestion(message.content);
        continue;
      }
      const answer = this.view.appendAnswer();
      answer.append(message.content);
      answer.showSources(message.citations);
      if (message.status === "complete") {
        answer.finish();
        this.decorate(answer, conversationId, message);
      } else if (message.status === "failed") answer.fail(this.t("interrupted"));
      else void this.follow(answer, conversationId);
    }
    this.showSuggestions();
    this.view.scrollToEnd();
  }

  /** Suggested questions open an empty conversation only. */
  private showSuggestions(): void {
    this.view.showSuggestions(!this.conversationId && this.api !== null);
  }

  private describe(error: unknown): string {
    const failure: Failure = error instanceof WidgetError ? error.failure : { network: true };
    return failureMessage(failure, this.t, this.view.language);
  }

  private async ask(question: string): Promise<void> {
    if (this.preview) return this.askInPreview(question);
    if (this.busy || !this.api) return;
    this.busy = true;
    this.setEnabled(false);
    this.view.showSuggestions(false);
    const asked = this.view.appendQuestion(question);
    const answer = this.view.appendAnswer();
    this.view.scrollToEnd();
    const retry = () => {
      asked.remove();
      answer.element.remove();
      void this.ask(question);
    };
    const turn = this.turn(answer);
    try {
      await this.api.ask(question, this.conversationId, turn.onEvent, this.aborter.signal);
      if (!turn.ended()) await this.resume(answer, turn);
    } catch (error) {
      if (error instanceof WidgetError && error.failure.network && turn.started())
        await this.resume(answer, turn);
      else answer.fail(this.describe(error), retry);
    }
    if (!turn.ended() && !answer.failed()) answer.fail(this.t("network"), retry);
    this.busy = false;
    this.setEnabled(true);
    this.view.focusInput();
  }

  /** The preview's sample exchange: the question, then a sample answer saying where real ones appear. */
  private askInPreview(question: string): void {
    this.view.showSuggestions(false);
    this.view.appendQuestion(question);
    const answer = this.view.appendAnswer();
    answer.append(this.t("previewAnswer"));
    answer.finish();
    this.view.scrollToEnd();
  }

  /** Follows an answer whose stream broke, from the last event seen, a few times with a growing pause. */
  private async resume(answer: AnswerView, turn: Turn): Promise<void> {
    for (let attempt = 0; attempt < RESUME_ATTEMPTS && !turn.ended() && this.conversationId; attempt++) {
      await wait(400 * 2 ** attempt);
      try {
        await this.api!.follow(this.conversationId, turn.lastEventId(), turn.onEvent, this.aborter.signal);
      } catch (error) {
        if (!(error instanceof WidgetError && error.failure.network)) {
          answer.fail(this.describe(error));
          return;
        }
      }
    }
  }

  /** Follows an answer still being written when the page loaded: its whole stream, replayed. */
  private async follow(answer: AnswerView, conversationId: string): Promise<void> {
    this.busy = true;
    this.setEnabled(false);
    answer.reset();
    const turn = this.turn(answer);
    try {
      await this.api!.follow(conversationId, null, turn.onEvent, this.aborter.signal);
    } catch {
      // Reported below as an interruption.
    }
    if (!turn.ended()) answer.fail(this.t("interrupted"));
    this.busy = false;
    this.setEnabled(true);
  }

  /** Applies a turn's SSE events to its answer and tracks where a resumed stream must start. */
  private turn(answer: AnswerView): Turn {
    let lastId: string | null = null;
    let ended = false;
    const onEvent = (event: TurnEvent) => {
      if (event.id) lastId = event.id;
      const data = event.data ?? {};
      if (event.name === "meta" && data.conversation_id) this.remember(data.conversation_id);
      else if (event.name === "citations") answer.showSources(data.citations ?? []);
      else if (event.name === "delta") answer.append(data.text ?? "");
      else if (event.name === "done") {
        answer.showSources(data.citations ?? []);
        answer.finish();
        if (this.conversationId && typeof data.message_id === "string") {
          this.decorate(answer, this.conversationId, {
            id: data.message_id,
            answer_mode: data.answer_mode,
            feedback: null,
          });
        }
        ended = true;
      } else if (event.name === "error") {
        answer.fail(
          failureMessage(
            { status: data.status, code: data.code, resetsAt: data.resets_at },
            this.t,
            this.view.language,
          ),
        );
        ended = true;
      }
      this.view.followEnd();
    };
    return { onEvent, ended: () => ended, started: () => lastId !== null, lastEventId: () => lastId };
  }

  /** A complete answer's mark (quoted, when no model wrote it) and its thumbs. */
  private decorate(
    answer: AnswerView,
    conversationId: string,
    message: Pick<StoredMessage, "id" | "answer_mode" | "feedback">,
  ): void {
    if (message.answer_mode === "extractive") answer.markQuoted();
    const api = this.api;
    if (!api) return;
    answer.offerFeedback(
      message.feedback ?? null,
      (rating, comment): Promise<Feedback> => api.rate(conversationId, message.id, rating, comment),
    );
  }

  private remember(conversationId: string | null): void {
    this.conversationId = conversationId;
    this.memory.write({ conversationId });
  }

  private restart(): void {
    if (this.busy) return;
    this.remember(null);
    void this.showConversation();
    this.view.focusInput();
  }

  private setEnabled(enabled: boolean): void {
    this.view.setEnabled(enabled, this.api !== null || this.preview);
  }
}
