import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TenantKpis } from "@/api/kpis";
import { i18n, initI18n } from "@/i18n";
import { KpiCards, KpiChart } from "./kpi-cards";

const figure = (used: number, limit: number, previous?: number) => ({
  used,
  limit,
  percent: Math.round((used / limit) * 1000) / 10,
  ...(previous === undefined ? {} : { previous }),
});

const kpis: TenantKpis = {
  period: { start: "2026-12-01T00:00:00.000Z", end: "2027-01-01T00:00:00.000Z" },
  previous_period: { start: "2026-11-01T00:00:00.000Z", end: "2026-12-01T00:00:00.000Z" },
  usage: {
    assistants: figure(1, 3),
    collections: figure(2, 10),
    documents: figure(12, 100),
    storage_bytes: figure(3 * 1024 * 1024, 100 * 1024 * 1024),
    chat_messages: figure(30, 1000, 20),
    ingested_pages: figure(40, 1000, 0),
    llm_tokens: figure(900, 5_000_000, 1200),
  },
  documents: { by_status: { queued: 0, processing: 1, ready: 11, failed: 0 }, total: 12, chunks: 57 },
  busiest_assistants: [],
};

beforeAll(async () => {
  initI18n();
  await i18n.changeLanguage("en");
});

afterEach(cleanup);

describe("KPI cards", () => {
  it("shows the holdings and this period's figures as cards, in a fixed order, with their limits", () => {
    render(<KpiCards kpis={kpis} />);
    const cards = screen.getAllByRole("listitem").map((item) => item.textContent);
    expect(cards).toEqual([
      "Documents12of 100",
      "Indexed passages57",
      "Storage used3 MBof 100 MB",
      "Messages this period30of 1,000+50 % vs previous period",
      "Tokens this period900of 5M-25 % vs previous period",
      "Pages ingested this period40of 1,000",
    ]);
  });

  it("charts the period's flows against the previous period", () => {
    render(<KpiChart kpis={kpis} />);
    const terms = screen.getAllByRole("term").map((term) => term.textContent);
    expect(terms).toEqual([
      "Messages this period30 / 20",
      "Pages ingested this period40 / 0",
      "Tokens this period900 / 1,200",
    ]);
    expect(within(screen.getByRole("figure")).getByText("This period against the previous one")).toBeTruthy();
  });
});
