import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { i18n, initI18n } from "@/i18n";
import { KpiCards, KpiChart } from "./kpi-cards";
import type { Kpi } from "./kpis";

const kpis: Kpi[] = [
  { key: "documents", label: "Documents", value: 12, unit: "documents", limit: 100 },
  {
    key: "storage_bytes",
    label: "Storage used",
    value: 3 * 1024 * 1024,
    unit: "bytes",
    limit: 100 * 1024 * 1024,
  },
  {
    key: "chat_messages",
    label: "Messages this period",
    value: 30,
    unit: "messages",
    limit: 1000,
    previous: 20,
  },
  { key: "llm_tokens", label: "LLM tokens this period", value: 900, unit: "tokens", previous: 1200 },
  { key: "quota.documents", label: "Documents quota used", value: 12, unit: "percent" },
  { key: "documents.ready", label: "Ready documents", value: 11, unit: "documents" },
];

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
      "Storage used3 MBof 100 MB",
      "Messages this period30of 1,000+50 % vs previous period",
      "LLM tokens this period900-25 % vs previous period",
    ]);
  });

  it("charts only the figures that have a previous period", () => {
    render(<KpiChart kpis={kpis} />);
    const terms = screen.getAllByRole("term").map((term) => term.textContent);
    expect(terms).toEqual(["Messages this period30 / 20", "LLM tokens this period900 / 1,200"]);
    expect(within(screen.getByRole("figure")).getByText("This period against the previous one")).toBeTruthy();
  });
});
