import { type Citation, type StoredMessage, type TurnEvent, type WidgetApi, WidgetError } from "./api";
import { h, icon, icons } from "./dom";
import { type Failure, failureMessage, pickLanguage, type Translate, translator } from "./i18n";
import { mergeConfig, type PageOptions, readableOn, type WidgetConfig } from "./options";
import { memory } from "./store";
import { styles } from "./styles";

const RESUME_ATTEMPTS = 4;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One assistant answer on screen: its text growing with each delta, then its sources. */
class AnswerView {
  readonly element: HTMLDivElement;
  private readonly bubble: HTMLDivElement;
  private readonly sources: HTMLDivElement;
  private text = "";

  constructor(private readonly t: Translate) {
    this.bubble = h("div", { class: "bubble" }, typingDots());
    this.sources = h("div", { class: "sources", hidden: true });
    this.element = h(
      "div",
      { class: "msg bot", "aria-busy": "true" },
      h("span", { class: "sr" }, `${t("assistant")}:`),
      this.bubble,
      this.sources,
    );
  }

  /** Replaces the text (a replayed stream starts again from its first delta). */
  reset(): void {
    this.text = "";
    this.bubble.replaceChildren(typingDots());
  }

  append(delta: string): void {
    this.text += delta;
    this.bubble.replaceChildren(...withCitationMarks(this.text));
  }

  showSources(citations: Citation[]): void {
    const unique = [...new Map(citations.map((citation) => [citation.index, citation])).values()];
    this.sources.hidden = unique.length === 0;
    this.sources.replaceChildren(
      h("p", { class: "sources-title" }, this.t("sources")),
      ...unique.map((citation) => sourceView(citation, this.t)),
    );
  }

  finish(): void {
    if (!this.text) this.bubble.replaceChildren();
    this.element.setAttribute("aria-busy", "false");
  }

  fail(message: string, retry?: () => void): void {
    this.element.classList.add("failed");
    this.element.setAttribute("aria-busy", "false");
    this.bubble.replaceChildren(this.text ? `${this.text}\n\n${message}` : message);
    this.element.setAttribute("role", "alert");
    if (retry)
      this.element.append(h("button", { class: "retry", type: "button", onclick: retry }, this.t("retry")));
  }
}

const typingDots = () => h("span", { class: "typing" }, h("i"), h("i"), h("i"));

/** The answer's text with its `[n]` markers shown as small badges. */
function withCitationMarks(text: string): (string | Node)[] {
  return text.split(/(\[\d+\])/).map((part) => {
    const marker = /^\[(\d+)\]$/.exec(part);
    return marker ? h("span", { class: "cite" }, marker[1]) : part;
  });
}

function sourceView(citation: Citation, t: Translate): HTMLDetailsElement {
  return h(
    "details",
    {},
    h(
      "summary",
      {},
      h("span", { class: "n", "aria-hidden": "true" }, String(citation.index)),
      h("span", { class: "doc" }, citation.filename),
      citation.page !== null && h("span", { class: "pg" }, t("page", { n: citation.page })),
      icon(icons.chevron),
    ),
    h("blockquote", {}, citation.excerpt),
  );
}

/**
 * The widget: a launcher and a panel inside a shadow root, talking to the API for one visitor.
 * Built once the visitor session is known (or refused), so its colours and language are final.
 */
export class ChatWidget {
  private readonly t: Translate;
  private readonly config: WidgetConfig;
  private readonly memory: ReturnType<typeof memory>;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly log: HTMLDivElement;
  private readonly suggestions: HTMLDivElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly newButton: HTMLButtonElement;
  private readonly root: HTMLDivElement;
  private conversationId: string | null;
  private busy = false;
  private returnFocusTo: HTMLElement | null = null;
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
    this.memory = memory(page.key ?? "");
    this.conversationId = this.memory.read().conversationId;
    const t = this.t;
    const title = this.config.title || t("defaultTitle");

    this.launcher = h(
      "button",
      {
        class: "launcher",
        type: "button",
        "aria-expanded": "false",
        "aria-controls": "ancre-panel",
        "aria-label": t("openChat"),
        onclick: () => (this.isOpen() ? this.close() : this.open()),
      },
      icon(icons.chat, "i-chat"),
      icon(icons.close, "i-close"),
    );
    this.newButton = h(
      "button",
      {
        class: "icon",
        type: "button",
        "aria-label": t("newConversation"),
        title: t("newConversation"),
        onclick: () => this.restart(),
      },
      icon(icons.compose),
    );
    this.log = h("div", {
      class: "log",
      role: "log",
      "aria-live": "polite",
      "aria-label": t("messages"),
      tabindex: "-1",
    });
    this.suggestions = h("div", {
      class: "suggestions",
      role: "group",
      "aria-label": t("suggestions"),
      hidden: true,
    });
    this.input = h("textarea", {
      rows: "1",
      placeholder: t("placeholder"),
      "aria-label": t("placeholder"),
      maxlength: "4000",
      oninput: () => this.fitInput(),
      onkeydown: ((event: KeyboardEvent) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.submit();
        }
      }) as EventListener,
    });
    this.sendButton = h(
      "button",
      { class: "send", type: "submit", "aria-label": t("send") },
      icon(icons.send),
    );
    this.panel = h(
      "section",
      {
        class: "panel",
        id: "ancre-panel",
        role: "dialog",
        "aria-labelledby": "ancre-title",
        hidden: true,
        lang: language,
      },
      h(
        "header",
        { class: "head" },
        h("div", { class: "avatar", "aria-hidden": "true" }, icon(icons.spark)),
        h(
          "div",
          { class: "titles" },
          h("h2", { id: "ancre-title" }, title),
          h("p", { class: "sub" }, t("subtitle")),
        ),
        this.newButton,
        h(
          "button",
          {
            class: "icon",
            type: "button",
            "aria-label": t("closeChat"),
            title: t("closeChat"),
            onclick: () => this.close(),
          },
          icon(icons.close),
        ),
      ),
      this.log,
      this.suggestions,
      h(
        "form",
        {
          class: "composer",
          onsubmit: (event: Event) => {
            event.preventDefault();
            this.submit();
          },
        },
        this.input,
        this.sendButton,
      ),
      h("p", { class: "foot" }, t("poweredBy")),
    );
    this.root = h(
      "div",
      {
        class: `root ${this.config.position === "bottom-left" ? "left" : "right"}`,
        // Escape closes from anywhere in the widget, the launcher included.
        onkeydown: ((event: KeyboardEvent) => {
          if (event.key === "Escape" && this.isOpen()) {
            event.stopPropagation();
            this.close();
          }
        }) as EventListener,
      },
      this.launcher,
      this.panel,
    );
    this.root.style.setProperty("--p", this.config.primaryColor);
    this.root.style.setProperty("--on-p", readableOn(this.config.primaryColor));

    const shadow = host.attachShadow({ mode: "open" });
    shadow.append(h("style", {}, styles), this.root);
    this.showConversation();
  }

  isOpen(): boolean {
    return !this.panel.hidden;
  }

  open(): void {
    if (this.isOpen()) return;
    // Focus inside the shadow root shows as the host element: the launcher gets it back then.
    const active = document.activeElement;
    this.returnFocusTo =
      active instanceof HTMLElement &&
      active !== document.body &&
      active.shadowRoot !== this.launcher.getRootNode()
        ? active
        : null;
    this.panel.hidden = false;
    this.root.classList.add("open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.setAttribute("aria-label", this.t("closeChat"));
    this.log.scrollTop = this.log.scrollHeight;
    (this.input.disabled ? this.log : this.input).focus();
  }

  close(): void {
    if (!this.isOpen()) return;
    this.panel.hidden = true;
    this.root.classList.remove("open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.setAttribute("aria-label", this.t("openChat"));
    const back = this.returnFocusTo;
    this.returnFocusTo = null;
    (back?.isConnected ? back : this.launcher).focus();
  }

  /** Fills the log: the greeting, then a refusal, or the stored conversation (following an unfinished answer). */
  private async showConversation(): Promise<void> {
    this.log.replaceChildren(this.greeting());
    if (!this.api) {
      const message = failureMessage(this.refusal ?? { network: true }, this.t, this.language());
      this.log.replaceChildren(h("div", { class: "notice", role: "alert" }, icon(icons.alert), message));
      this.setEnabled(false);
      this.newButton.hidden = true;
      return;
    }
    if (!this.conversationId) return this.showSuggestions();
    const conversationId = this.conversationId;
    let messages: StoredMessage[];
    try {
      messages = await this.api.history(conversationId);
    } catch (error) {
      if (error instanceof WidgetError && error.failure.status === 404) this.remember(null);
      else this.log.append(this.failedAnswer(error));
      return this.showSuggestions();
    }
    for (const message of messages) {
      if (message.role === "user") {
        this.log.append(this.userMessage(message.content));
        continue;
      }
      const answer = new AnswerView(this.t);
      this.log.append(answer.element);
      answer.append(message.content);
      answer.showSources(message.citations);
      if (message.status === "complete") answer.finish();
      else if (message.status === "failed") answer.fail(this.t("interrupted"));
      else void this.follow(answer, conversationId);
    }
    this.showSuggestions();
    this.log.scrollTop = this.log.scrollHeight;
  }

  private greeting(): HTMLElement {
    return h(
      "div",
      { class: "msg bot" },
      h("div", { class: "bubble" }, this.config.greeting || this.t("defaultGreeting")),
    );
  }

  private showSuggestions(): void {
    const empty = !this.conversationId && this.api !== null;
    this.suggestions.hidden = !empty || this.config.suggestedQuestions.length === 0;
    this.suggestions.replaceChildren(
      ...this.config.suggestedQuestions.map((question) =>
        h("button", { type: "button", onclick: () => this.ask(question) }, question),
      ),
    );
  }

  private userMessage(text: string): HTMLElement {
    return h(
      "div",
      { class: "msg user" },
      h("span", { class: "sr" }, `${this.t("you")}:`),
      h("div", { class: "bubble" }, text),
    );
  }

  private failedAnswer(error: unknown, retry?: () => void): HTMLElement {
    const answer = new AnswerView(this.t);
    answer.fail(this.describe(error), retry);
    return answer.element;
  }

  private describe(error: unknown): string {
    const failure: Failure = error instanceof WidgetError ? error.failure : { network: true };
    return failureMessage(failure, this.t, this.language());
  }

  private language(): string {
    return this.panel.lang;
  }

  private submit(): void {
    const question = this.input.value.trim();
    if (!question || this.busy) return;
    this.input.value = "";
    this.fitInput();
    void this.ask(question);
  }

  private async ask(question: string): Promise<void> {
    if (this.busy || !this.api) return;
    this.busy = true;
    this.setEnabled(false);
    this.suggestions.hidden = true;
    const asked = this.userMessage(question);
    const answer = new AnswerView(this.t);
    this.log.append(asked, answer.element);
    this.log.scrollTop = this.log.scrollHeight;
    const retry = () => {
      asked.remove();
      answer.element.remove();
      void this.ask(question);
    };
    const turn = this.turnHandler(answer);
    try {
      await this.api.ask(question, this.conversationId, turn.onEvent, this.aborter.signal);
      if (!turn.ended()) await this.resume(answer, turn);
    } catch (error) {
      if (error instanceof WidgetError && error.failure.network && turn.started())
        await this.resume(answer, turn);
      else answer.fail(this.describe(error), retry);
    }
    if (!turn.ended() && !answer.element.classList.contains("failed")) answer.fail(this.t("network"), retry);
    this.busy = false;
    this.setEnabled(true);
    this.input.focus();
  }

  /** Follows an answer whose stream broke, from the last event seen, a few times with a growing pause. */
  private async resume(answer: AnswerView, turn: ReturnType<ChatWidget["turnHandler"]>): Promise<void> {
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
    const turn = this.turnHandler(answer);
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
  private turnHandler(answer: AnswerView) {
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
        ended = true;
      } else if (event.name === "error") {
        answer.fail(
          failureMessage(
            { status: data.status, code: data.code, resetsAt: data.resets_at },
            this.t,
            this.language(),
          ),
        );
        ended = true;
      }
      if (this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 120)
        this.log.scrollTop = this.log.scrollHeight;
    };
    return { onEvent, ended: () => ended, started: () => lastId !== null, lastEventId: () => lastId };
  }

  private remember(conversationId: string | null): void {
    this.conversationId = conversationId;
    this.memory.write({ conversationId });
  }

  private restart(): void {
    if (this.busy) return;
    this.remember(null);
    void this.showConversation();
    this.input.focus();
  }

  private setEnabled(enabled: boolean): void {
    this.input.disabled = !enabled || !this.api;
    this.sendButton.disabled = !enabled || !this.api;
    this.newButton.disabled = !enabled;
  }

  private fitInput(): void {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }
}
