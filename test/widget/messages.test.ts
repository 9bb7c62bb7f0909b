import { describe, expect, it } from "vitest";
import { failureMessage, pickLanguage, translator } from "../../widget/i18n";
import { mergeConfig, pageOptions, readableOn } from "../../widget/options";

const NOW = Date.parse("2026-11-29T10:00:00Z");
const say = (language: string) => {
  const t = translator(language);
  return (failure: Parameters<typeof failureMessage>[0]) => failureMessage(failure, t, language, NOW);
};

describe("the widget's language", () => {
  it("follows data-language, else the browser's first known language, else English", () => {
    expect(pickLanguage("fr", ["en-US"])).toBe("fr");
    expect(pickLanguage("auto", ["de-DE", "fr-CA", "en"])).toBe("fr");
    expect(pickLanguage(undefined, ["en-GB"])).toBe("en");
    expect(pickLanguage("ja", ["fr"])).toBe("en");
    expect(pickLanguage(null, [])).toBe("en");
  });

  it("labels its controls and errors in French for French visitors", () => {
    const en = translator("en");
    const fr = translator("fr");
    for (const key of ["openChat", "placeholder", "send", "network", "quota"] as const) {
      expect(fr(key)).not.toBe(en(key));
    }
  });
});

describe("the widget's error sentences", () => {
  it("says why a site is refused, in the visitor's language, without JSON", () => {
    expect(say("en")({ status: 403, code: "widget_origin_not_allowed" })).toBe(
      "This assistant is not available on this website.",
    );
    expect(say("fr")({ status: 403, code: "widget_origin_not_allowed" })).toBe(
      "Cet assistant n’est pas disponible sur ce site.",
    );
    expect(say("en")({ status: 403, code: "widget_disabled" })).toMatch(/switched off/);
  });

  it("tells a visitor over a quota when to ask again, from resets_at", () => {
    const inTwelveMinutes = new Date(NOW + 12 * 60_000).toISOString();
    expect(say("en")({ status: 429, code: "quota_exceeded", resetsAt: inTwelveMinutes })).toBe(
      "The assistant has reached its limit of questions for now. You can ask again in 12 minutes.",
    );
    expect(say("fr")({ status: 429, code: "quota_exceeded", resetsAt: inTwelveMinutes })).toContain(
      "dans 12 minutes",
    );
  });

  it("uses Retry-After when a rate limit gives no resets_at", () => {
    expect(say("en")({ status: 429, code: "rate_limited", retryAfterSeconds: 300 })).toContain(
      "in 5 minutes",
    );
    expect(say("en")({ status: 429, code: "rate_limited" })).toContain("in a moment");
  });

  it("falls back on the status for codes it does not know, and names network failures", () => {
    expect(say("en")({ status: 403, code: "some_future_refusal" })).toBe(
      "This assistant is not available on this website.",
    );
    expect(say("en")({ status: 503 })).toMatch(/cannot answer right now/);
    expect(say("fr")({ network: true })).toBe(
      "L’assistant est injoignable. Vérifiez votre connexion et réessayez.",
    );
    expect(say("en")({ status: 400, code: "validation_failed" })).toBe(
      "Something went wrong. Please try again.",
    );
  });
});

describe("the widget's options", () => {
  const attributes = (values: Record<string, string>) => (name: string) => values[name] ?? null;

  it("reads the data-* attributes and ignores invalid values", () => {
    const options = pageOptions(
      attributes({
        "data-key": "pk_123",
        "data-position": "top-left",
        "data-primary-color": "red; background: url(x)",
        "data-title": " Aide ",
        "data-open": "",
      }),
    );
    expect(options).toMatchObject({ key: "pk_123", title: "Aide", openOnLoad: true });
    expect(options.position).toBeUndefined();
    expect(options.primaryColor).toBeUndefined();
    expect(pageOptions(attributes({ "data-open": "false" })).openOnLoad).toBe(false);
  });

  it("lets the page override the assistant's configuration", () => {
    const page = pageOptions(attributes({ "data-position": "bottom-left", "data-primary-color": "#0f766e" }));
    const config = mergeConfig(page, {
      title: "Support",
      primary_color: "#4f46e5",
      position: "bottom-right",
      suggested_questions: ["a", "b"],
    });
    expect(config).toMatchObject({
      title: "Support",
      primaryColor: "#0f766e",
      position: "bottom-left",
      suggestedQuestions: ["a", "b"],
    });
  });

  it("writes on the primary colour in whichever of black or white reads better", () => {
    expect(readableOn("#4f46e5")).toBe("#ffffff");
    expect(readableOn("#fde047")).toBe("#111827");
    expect(readableOn("#fff")).toBe("#111827");
  });
});
