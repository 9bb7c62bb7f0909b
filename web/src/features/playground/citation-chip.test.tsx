import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type * as React from "react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { api, setCredentials } from "@/api/client";
import { Toaster } from "@/components/ui/toast";
import { i18n, initI18n } from "@/i18n";
import { CitationChip } from "./citation-chip";

const citation = {
  index: 2,
  document_id: "doc_42",
  filename: "tracemonkey.pdf",
  page: 7,
  section: "Trace trees",
  excerpt: "A trace tree is a tree of traces sharing a loop header.",
  score: 0.8,
  chunk_id: "chk_1",
};

const slides = { ...citation, document_id: "doc_43", filename: "Deck.pptx", page: 3, chunk_id: "chk_9" };

function Providers({ children }: { children: React.ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return (
    <QueryClientProvider client={client}>
      <Toaster>{children}</Toaster>
    </QueryClientProvider>
  );
}

/** The API client answering the passage request with `body`. */
const answerPassage = (body: unknown) =>
  vi
    .spyOn(api, "GET")
    .mockResolvedValue({ data: body, response: new Response() } as unknown as Awaited<
      ReturnType<typeof api.GET>
    >);

beforeAll(async () => {
  initI18n();
  await i18n.changeLanguage("en");
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("CitationChip", () => {
  it("names the file and page, and describes itself with the cited excerpt", () => {
    render(<CitationChip citation={citation} />, { wrapper: Providers });
    const chip = screen.getByRole("button", {
      name: "Source 2: tracemonkey.pdf · page 7, read the cited passage",
    });
    const tooltip = document.getElementById(chip.getAttribute("aria-describedby") ?? "");
    expect(tooltip?.getAttribute("role")).toBe("tooltip");
    expect(tooltip?.textContent).toContain("A trace tree is a tree of traces");
    expect(tooltip?.textContent).toContain("Trace trees");
  });

  it("calls a presentation's pages slides", () => {
    render(<CitationChip citation={slides} />, { wrapper: Providers });
    expect(
      screen.getByRole("button", { name: "Source 2: Deck.pptx · slide 3, read the cited passage" }),
    ).toBeTruthy();
  });

  it("shows the slide's text with the cited passage highlighted", async () => {
    const text = "Slide title\n\nA trace tree is a tree of traces sharing a loop header. More text.";
    const get = answerPassage({
      document_id: "doc_43",
      filename: "Deck.pptx",
      format: "pptx",
      content_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      unit: "slide",
      number: 3,
      section: null,
      text,
      cited: { start: 13, end: text.length },
    });
    render(<CitationChip citation={slides} compact />, { wrapper: Providers });
    fireEvent.click(screen.getByRole("button", { name: /Source 2/ }));
    const dialog = await screen.findByRole("dialog", { name: "Deck.pptx" });
    await waitFor(() => expect(screen.getByTestId("cited-passage").textContent).toBe(slides.excerpt));
    expect(dialog.textContent).toContain("Source 2 · slide 3");
    expect(screen.getByTestId("source-text").textContent).toBe(text);
    expect(screen.getByRole("button", { name: "Download Deck.pptx" })).toBeTruthy();
    // Slides have no viewer to open at: only a PDF offers one.
    expect(screen.queryByRole("button", { name: /Open the PDF/ })).toBeNull();
    expect(get).toHaveBeenCalledWith("/api/v1/documents/{document_id}/passage", {
      params: { path: { document_id: "doc_43" }, query: { chunk_id: "chk_9", page: 3 } },
    });
  });

  it("opens a PDF at the cited page in a tab titled with the document's name", async () => {
    const frame = document.implementation.createHTMLDocument("");
    const tab = { document: frame, location: { href: "" }, close: vi.fn() };
    vi.spyOn(window, "open").mockReturnValue(tab as unknown as Window);
    vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:http://localhost/file");
    answerPassage({
      document_id: "doc_42",
      filename: "tracemonkey.pdf",
      format: "pdf",
      content_type: "application/pdf",
      unit: "page",
      number: 7,
      section: null,
      text: citation.excerpt,
      cited: { start: 0, end: citation.excerpt.length },
    });
    setCredentials({ tenantId: "ten_1" });
    const fetchMock = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(new Blob(["%PDF"])));
    render(<CitationChip citation={citation} compact />, { wrapper: Providers });
    fireEvent.click(screen.getByRole("button", { name: /Source 2/ }));
    fireEvent.click(await screen.findByRole("button", { name: "Open the PDF at page 7" }));
    await waitFor(() =>
      expect(frame.querySelector("iframe")?.getAttribute("src")).toBe("blob:http://localhost/file#page=7"),
    );
    expect(frame.title).toBe("tracemonkey.pdf");
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe("/api/v1/documents/doc_42/content");
    expect((init?.headers as Record<string, string> | undefined)?.["X-Tenant-ID"]).toBe("ten_1");
  });
});
