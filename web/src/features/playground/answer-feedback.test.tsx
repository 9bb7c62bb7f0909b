import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type * as React from "react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setCredentials } from "@/api/client";
import { i18n, initI18n } from "@/i18n";
import { AnswerFeedback, QuotedMark } from "./answer-feedback";
import { applyAnswerEvent, startingAnswer } from "./answer-stream";

// The API client keeps the fetch it was created with: it must be this one from the start.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<(request: Request) => Promise<Response>>();
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
});

const answer = { assistantId: "ast_1", conversationId: "cnv_1", messageId: "msg_2" };
const saved = (rating: "up" | "down", comment: string | null = null) =>
  new Response(
    JSON.stringify({
      rating,
      comment,
      created_at: "2026-12-07T06:00:00.000Z",
      updated_at: "2026-12-07T06:00:00.000Z",
    }),
    { headers: { "content-type": "application/json" } },
  );

function withQueries({ children }: { children: React.ReactNode }) {
  return <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>;
}

beforeAll(async () => {
  initI18n();
  setCredentials({ tenantId: "ten_1" });
});

afterEach(() => {
  cleanup();
  fetchMock.mockReset();
});

describe("the answer's mode", () => {
  it("reads `answer_mode` from the stream's done event", () => {
    const done = applyAnswerEvent(startingAnswer("cnv_1"), {
      id: "4",
      event: "done",
      data: JSON.stringify({ message_id: "msg_2", citations: [], answer_mode: "extractive" }),
    });
    expect(done).toMatchObject({ status: "complete", answerMode: "extractive", messageId: "msg_2" });
  });

  it("marks a quoted answer, and tells only owners and admins how to enable a model", async () => {
    await i18n.changeLanguage("en");
    const { rerender } = render(<QuotedMark canConfigure={false} />);
    expect(screen.getByText("Quoted from your documents")).toBeTruthy();
    expect(screen.queryByText(/OPENAI_API_KEY/)).toBeNull();
    rerender(<QuotedMark canConfigure />);
    expect(screen.getByText(/set OPENAI_API_KEY/)).toBeTruthy();
  });

  it("says it in French", async () => {
    await i18n.changeLanguage("fr");
    render(<QuotedMark canConfigure />);
    expect(screen.getByText("Extrait de vos documents")).toBeTruthy();
    expect(screen.getByText(/définissez OPENAI_API_KEY/)).toBeTruthy();
  });
});

describe("feedback on an answer", () => {
  it("sends a thumb down, then a comment with it, to the answer's feedback", async () => {
    await i18n.changeLanguage("en");
    fetchMock.mockResolvedValueOnce(saved("down")).mockResolvedValueOnce(saved("down", "Missing the month"));
    render(<AnswerFeedback answer={answer} initial={null} />, { wrapper: withQueries });
    const down = screen.getByRole("button", { name: "Not helpful" });
    expect(down.getAttribute("aria-pressed")).toBe("false");
    fireEvent.click(down);
    await waitFor(() => expect(down.getAttribute("aria-pressed")).toBe("true"));
    expect(screen.getByRole("button", { name: "Helpful" }).getAttribute("aria-pressed")).toBe("false");

    const request = fetchMock.mock.calls[0]![0] as Request;
    expect(request.method).toBe("PUT");
    expect(new URL(request.url).pathname).toBe(
      "/api/v1/chat/ast_1/conversations/cnv_1/messages/msg_2/feedback",
    );
    expect(await request.json()).toEqual({ rating: "down" });

    fireEvent.change(screen.getByRole("textbox", { name: "Comment (optional)" }), {
      target: { value: " Missing the month " },
    });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    expect(await (fetchMock.mock.calls[1]![0] as Request).json()).toEqual({
      rating: "down",
      comment: "Missing the month",
    });
    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toBe("Thanks: your feedback is saved."),
    );
  });

  it("shows the feedback given before as pressed", () => {
    render(
      <AnswerFeedback
        answer={answer}
        initial={{ rating: "up", comment: null, created_at: "", updated_at: "" }}
      />,
      { wrapper: withQueries },
    );
    expect(screen.getByRole("button", { name: "Helpful" }).getAttribute("aria-pressed")).toBe("true");
  });
});
