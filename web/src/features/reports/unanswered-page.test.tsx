import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import type * as React from "react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setCredentials } from "@/api/client";
import { i18n, initI18n } from "@/i18n";
import { UnansweredPage } from "./unanswered-page";

// The API client keeps the fetch it was created with: it must be this one from the start.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<(request: Request) => Promise<Response>>();
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
});

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

const report = {
  from: "2026-11-08",
  to: "2026-12-07",
  assistant_id: null,
  grouping: "terms",
  answers: 3,
  truncated: false,
  groups: [
    {
      assistant_id: "ast_1",
      assistant_name: "Support",
      question: "What is the refund policy?",
      questions: ["What is the refund policy?", "refund policy for damaged goods"],
      count: 2,
      refusals: 2,
      thumbs_down: 0,
      comments: [],
      documents: [],
      last_asked_at: "2026-12-07T06:00:00.000Z",
    },
    {
      assistant_id: "ast_1",
      assistant_name: "Support",
      question: "When does the shop open?",
      questions: ["When does the shop open?"],
      count: 1,
      refusals: 0,
      thumbs_down: 1,
      comments: ["Not on Sundays?"],
      documents: [{ document_id: "doc_1", filename: "hours.pdf", count: 1 }],
      last_asked_at: "2026-12-06T06:00:00.000Z",
    },
  ],
};

function withQueries({ children }: { children: React.ReactNode }) {
  return <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>;
}

beforeAll(async () => {
  initI18n();
  await i18n.changeLanguage("en");
  setCredentials({ tenantId: "ten_1" });
});

afterEach(() => {
  cleanup();
  fetchMock.mockReset();
});

describe("the Unanswered questions page", () => {
  it("shows each group with its counts, its other wordings, its comments and the documents looked in", async () => {
    fetchMock.mockImplementation(async (request) =>
      json(
        new URL(request.url).pathname === "/api/v1/assistants"
          ? { data: [], next_cursor: null, has_more: false }
          : report,
      ),
    );
    render(<UnansweredPage />, { wrapper: withQueries });
    expect(await screen.findByRole("heading", { name: "What is the refund policy?" })).toBeTruthy();
    expect(screen.getByText("Asked 2 times")).toBeTruthy();
    expect(screen.getByText("2 unanswered")).toBeTruthy();
    expect(screen.getByText(/refund policy for damaged goods/)).toBeTruthy();
    expect(screen.getByText("No document matched: add one that answers this.")).toBeTruthy();
    expect(screen.getByText("1 thumb down")).toBeTruthy();
    expect(screen.getByText("Not on Sundays?")).toBeTruthy();
    expect(screen.getByText("hours.pdf")).toBeTruthy();

    const asked = fetchMock.mock.calls
      .map(([request]) => new URL(request.url))
      .find((url) => url.pathname === "/api/v1/reports/unanswered");
    expect(asked?.searchParams.get("to")).toBe(new Date().toISOString().slice(0, 10));
    expect(asked?.searchParams.has("assistant_id")).toBe(false);
  });

  it("says what to do when nothing was left unanswered", async () => {
    fetchMock.mockImplementation(async (request) =>
      json(
        new URL(request.url).pathname === "/api/v1/assistants"
          ? { data: [], next_cursor: null, has_more: false }
          : { ...report, answers: 0, groups: [] },
      ),
    );
    render(<UnansweredPage />, { wrapper: withQueries });
    expect(await screen.findByText("Nothing left unanswered")).toBeTruthy();
  });
});
