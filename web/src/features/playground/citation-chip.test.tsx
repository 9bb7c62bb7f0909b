import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setCredentials } from "@/api/client";
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
    render(<CitationChip citation={citation} />, { wrapper: Toaster });
    const chip = screen.getByRole("button", { name: "Source 2: tracemonkey.pdf · p. 7, open the file" });
    const tooltip = document.getElementById(chip.getAttribute("aria-describedby") ?? "");
    expect(tooltip?.getAttribute("role")).toBe("tooltip");
    expect(tooltip?.textContent).toContain("A trace tree is a tree of traces");
    expect(tooltip?.textContent).toContain("Trace trees");
  });

  it("opens the original file, fetched with the console's credentials, at the cited page", async () => {
    setCredentials({ tenantId: "ten_1" });
    const tab = { location: { href: "" }, close: vi.fn() };
    vi.spyOn(window, "open").mockReturnValue(tab as unknown as Window);
    const fetchMock = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(new Blob(["%PDF"])));
    vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:http://localhost/file");
    render(<CitationChip citation={citation} compact />, { wrapper: Toaster });
    fireEvent.click(screen.getByRole("button", { name: /Source 2/ }));
    await waitFor(() => expect(tab.location.href).toBe("blob:http://localhost/file#page=7"));
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe("/api/v1/documents/doc_42/content");
    const headers = init?.headers as Record<string, string> | undefined;
    expect(headers?.["X-Tenant-ID"]).toBe("ten_1");
  });
});
