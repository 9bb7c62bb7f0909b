import { describe, expect, it } from "vitest";
import { ApiError } from "@/api/client";
import { bodyOf, fieldErrors, previewPath, sentRows, snippetOf, type WidgetDraft } from "./widget-draft";

const draft: WidgetDraft = {
  allowed_origins: ["", "http://shop.example", "  ", "https://www.example.com"],
  title: "Help",
  greeting: "Hello",
  primary_color: "#2563eb",
  position: "bottom-left",
  language: "fr",
  suggested_questions: ["Where is my order?", " "],
  budgets: {
    visitor_messages_per_hour: 20,
    visitor_messages_per_day: 100,
    assistant_messages_per_hour: 500,
    assistant_messages_per_day: 5000,
  },
};

const validation = (errors: { field: string; message: string }[]) =>
  new ApiError(400, {
    type: "about:blank",
    title: "Validation failed",
    status: 400,
    detail: "Invalid request",
    code: "validation_failed",
    request_id: "req_1",
    errors,
  });

describe("the Embed tab's form", () => {
  it("sends the filled rows only", () => {
    const body = bodyOf(draft);
    expect(body.allowed_origins).toEqual(["http://shop.example", "https://www.example.com"]);
    expect(body.suggested_questions).toEqual(["Where is my order?"]);
  });

  it("puts each of the API's messages on the row it was about, empty rows skipped", () => {
    const rows = sentRows(draft.allowed_origins);
    expect(rows).toEqual([1, 3]);
    const errors = fieldErrors(
      validation([
        { field: "json.allowed_origins.0", message: "http://shop.example must use https" },
        { field: "json.title", message: "Too long" },
      ]),
      rows,
    );
    expect(errors.get("allowed_origins.1")).toBe("http://shop.example must use https");
    expect(errors.has("allowed_origins.0")).toBe(false);
    expect(errors.get("title")).toBe("Too long");
    expect(fieldErrors(new ApiError(500, null), rows).size).toBe(0);
  });

  it("previews the draft through /widget/preview and writes the snippet as the docs give it", () => {
    const url = new URL(previewPath(draft), "http://localhost");
    expect(url.pathname).toBe("/widget/preview");
    expect(url.searchParams.get("position")).toBe("bottom-left");
    expect(url.searchParams.getAll("q")).toEqual(["Where is my order?"]);
    expect(snippetOf("https://ancre.example.com", "pk_1")).toBe(
      '<script src="https://ancre.example.com/widget/v1.js" data-key="pk_1" async></script>',
    );
  });
});
