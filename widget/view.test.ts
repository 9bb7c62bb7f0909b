import { afterEach, describe, expect, it, vi } from "vitest";
import { WidgetApi } from "./api";
import { translator } from "./i18n";
import { AnswerView } from "./view";

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

const button = (answer: AnswerView, name: string) =>
  [...answer.element.querySelectorAll("button")].find(
    (element) => element.getAttribute("aria-label") === name,
  )!;

describe("the widget's answers", () => {
  it("mark an answer quoted from the documents, in the visitor's language", () => {
    const english = new AnswerView(translator("en"));
    english.markQuoted();
    expect(english.element.querySelector(".quoted")?.textContent).toBe("Quoted from your documents");
    const french = new AnswerView(translator("fr"));
    french.markQuoted();
    french.markQuoted();
    expect(french.element.querySelectorAll(".quoted")).toHaveLength(1);
    expect(french.element.querySelector(".quoted")?.textContent).toBe("Extrait de vos documents");
  });

  it("take a thumb down, then a comment with it", async () => {
    const answer = new AnswerView(translator("en"));
    document.body.append(answer.element);
    const rate = vi.fn(async (rating: "up" | "down", comment?: string | null) => ({
      rating,
      comment: comment ?? null,
    }));
    answer.offerFeedback(null, rate);
    const down = button(answer, "Not helpful");
    expect(down.getAttribute("aria-pressed")).toBe("false");
    down.click();
    await vi.waitFor(() => expect(down.getAttribute("aria-pressed")).toBe("true"));
    expect(rate).toHaveBeenLastCalledWith("down", undefined);
    expect(button(answer, "Helpful").getAttribute("aria-pressed")).toBe("false");

    const form = answer.element.querySelector("form")!;
    expect(form.hidden).toBe(false);
    form.querySelector("input")!.value = "  The opening hours  ";
    form.requestSubmit();
    await vi.waitFor(() => expect(rate).toHaveBeenCalledTimes(2));
    expect(rate).toHaveBeenLastCalledWith("down", "The opening hours");
    expect(answer.element.querySelector("[role=status]")?.textContent).toBe("Thanks for your feedback.");
  });

  it("show the feedback given before, and say so when it cannot be saved", async () => {
    const answer = new AnswerView(translator("fr"));
    answer.offerFeedback({ rating: "up", comment: null }, () => Promise.reject(new Error("offline")));
    expect(button(answer, "Utile").getAttribute("aria-pressed")).toBe("true");
    button(answer, "Pas utile").click();
    await vi.waitFor(() =>
      expect(answer.element.querySelector("[role=status]")?.textContent).toBe(translator("fr")("generic")),
    );
    expect(button(answer, "Utile").getAttribute("aria-pressed")).toBe("true");
  });

  it("send the visitor's feedback with its token to its conversation's answer", async () => {
    const requests: { url: string; method: string; authorization: string | null; body: unknown }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      const headers = new Headers(init.headers);
      requests.push({
        url,
        method: init.method ?? "GET",
        authorization: headers.get("authorization"),
        body: init.body ? JSON.parse(String(init.body)) : null,
      });
      const body = url.endsWith("/widget/session")
        ? {
            token: "vt_1",
            expires_at: new Date(Date.now() + 3_600_000).toISOString(),
            assistant_id: "ast_1",
            visitor_id: "vis_1",
            widget: {},
          }
        : { rating: "down", comment: "Nothing on refunds", created_at: "", updated_at: "" };
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    });
    const api = new WidgetApi("https://ancre.example", "pk_1", null);
    const saved = await api.rate("cnv_1", "msg_2", "down", "Nothing on refunds");
    expect(saved).toMatchObject({ rating: "down", comment: "Nothing on refunds" });
    expect(requests.at(-1)).toEqual({
      url: "https://ancre.example/api/v1/chat/ast_1/conversations/cnv_1/messages/msg_2/feedback",
      method: "PUT",
      authorization: "Bearer vt_1",
      body: { rating: "down", comment: "Nothing on refunds" },
    });
  });
});
