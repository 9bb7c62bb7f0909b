import type { Citation, Feedback, Rating } from "./api";
import { h, icon, icons } from "./dom";
import type { Translate } from "./i18n";
import { readableOn, type WidgetConfig } from "./options";
import { styles } from "./styles";

/** One assistant answer on screen: its text growing with each delta, then its sources. */
export class AnswerView {
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

  failed(): boolean {
    return this.element.classList.contains("failed");
  }

  /** Marks an answer that no model wrote: it quotes the documents. */
  markQuoted(): void {
    if (this.element.querySelector(".quoted")) return;
    this.element.append(h("p", { class: "quoted" }, icon(icons.quote), this.t("quoted")));
  }

  /**
   * Thumbs up and down under the answer; a thumb down also offers a comment. `rate` sends the
   * feedback and resolves with what was stored (rejects when it could not be).
   */
  offerFeedback(
    initial: Feedback | null,
    rate: (rating: Rating, comment?: string | null) => Promise<Feedback>,
  ): void {
    this.element.querySelector(".rate")?.remove();
    let current = initial;
    const status = h("span", { class: "thanks", role: "status" });
    const thumb = (rating: Rating) =>
      h(
        "button",
        {
          type: "button",
          class: "thumb",
          "aria-label": this.t(rating === "up" ? "helpful" : "notHelpful"),
          title: this.t(rating === "up" ? "helpful" : "notHelpful"),
          "aria-pressed": String(current?.rating === rating),
          onclick: () => void send(rating),
        },
        icon(rating === "up" ? icons.up : icons.down),
      );
    const up = thumb("up");
    const down = thumb("down");
    const comment = h("input", {
      type: "text",
      maxlength: "2000",
      "aria-label": this.t("comment"),
      placeholder: this.t("comment"),
    });
    const form = h(
      "form",
      {
        class: "comment",
        hidden: true,
        onsubmit: (event: Event) => {
          event.preventDefault();
          form.hidden = true;
          void send(current?.rating ?? "down", comment.value.trim() || null);
        },
      },
      comment,
      h("button", { type: "submit" }, this.t("sendComment")),
    );
    const send = async (rating: Rating, text?: string | null) => {
      try {
        current = await rate(rating, text);
      } catch {
        status.textContent = this.t("generic");
        return;
      }
      up.setAttribute("aria-pressed", String(current.rating === "up"));
      down.setAttribute("aria-pressed", String(current.rating === "down"));
      status.textContent = this.t("thanks");
      if (text === undefined && rating === "down") {
        comment.value = current.comment ?? "";
        form.hidden = false;
        comment.focus();
      }
    };
    this.element.append(
      h(
        "div",
        { class: "rate" },
        h("fieldset", { class: "thumbs", "aria-label": this.t("rateAnswer") }, up, down, status),
        form,
      ),
    );
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

/** What the view asks of its controller: the visitor's actions. */
export interface WidgetActions {
  /** A question typed (trimmed, not empty) or picked among the suggestions. */
  ask(question: string): void;
  /** The visitor starts a new conversation. */
  restart(): void;
}

/**
 * The widget's DOM: a launcher and a panel inside a shadow root. It shows what the controller
 * tells it and reports the visitor's actions; it holds no conversation state.
 */
export class WidgetView {
  readonly language: string;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly log: HTMLDivElement;
  private readonly suggestions: HTMLDivElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly newButton: HTMLButtonElement;
  private readonly root: HTMLDivElement;
  private returnFocusTo: HTMLElement | null = null;

  constructor(
    host: HTMLElement,
    private readonly config: WidgetConfig,
    language: string,
    readonly t: Translate,
    private readonly actions: WidgetActions,
  ) {
    this.language = language;
    const title = config.title || t("defaultTitle");

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
        onclick: () => actions.restart(),
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
        class: `root ${config.position === "bottom-left" ? "left" : "right"}`,
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
    this.root.style.setProperty("--p", config.primaryColor);
    this.root.style.setProperty("--on-p", readableOn(config.primaryColor));

    const shadow = host.attachShadow({ mode: "open" });
    shadow.append(h("style", {}, styles), this.root);
  }

  isOpen(): boolean {
    return !this.panel.hidden;
  }

  /** Opens the panel; `focus`: moves the focus into it (the visitor's click), or leaves it where it is. */
  open(focus = true): void {
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
    if (focus) (this.input.disabled ? this.log : this.input).focus();
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

  /** Empties the log down to the greeting. */
  showGreeting(): void {
    this.log.replaceChildren(
      h(
        "div",
        { class: "msg bot" },
        h("div", { class: "bubble" }, this.config.greeting || this.t("defaultGreeting")),
      ),
    );
  }

  /** Replaces the log with a refusal (no session): nothing can be asked. */
  showRefusal(message: string): void {
    this.log.replaceChildren(h("div", { class: "notice", role: "alert" }, icon(icons.alert), message));
    this.setEnabled(false);
    this.newButton.hidden = true;
  }

  /** Shows the page's suggested questions, or hides them. */
  showSuggestions(visible: boolean): void {
    this.suggestions.hidden = !visible || this.config.suggestedQuestions.length === 0;
    this.suggestions.replaceChildren(
      ...this.config.suggestedQuestions.map((question) =>
        h("button", { type: "button", onclick: () => this.actions.ask(question) }, question),
      ),
    );
  }

  /** Appends the visitor's question; returns its element (a retry removes it). */
  appendQuestion(text: string): HTMLElement {
    const element = h(
      "div",
      { class: "msg user" },
      h("span", { class: "sr" }, `${this.t("you")}:`),
      h("div", { class: "bubble" }, text),
    );
    this.log.append(element);
    return element;
  }

  /** Appends an empty answer, ready for its deltas. */
  appendAnswer(): AnswerView {
    const answer = new AnswerView(this.t);
    this.log.append(answer.element);
    return answer;
  }

  scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  /** Keeps the newest text in sight, unless the visitor scrolled up to read. */
  followEnd(): void {
    if (this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 120) this.scrollToEnd();
  }

  setEnabled(enabled: boolean, canAsk = true): void {
    this.input.disabled = !enabled || !canAsk;
    this.sendButton.disabled = !enabled || !canAsk;
    this.newButton.disabled = !enabled;
  }

  focusInput(): void {
    this.input.focus();
  }

  private submit(): void {
    const question = this.input.value.trim();
    if (!question || this.input.disabled) return;
    this.input.value = "";
    this.fitInput();
    this.actions.ask(question);
  }

  private fitInput(): void {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }
}
