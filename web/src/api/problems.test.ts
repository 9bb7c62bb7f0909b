import { createInstance, type TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { resources } from "@/i18n";
import { ApiError, type Problem } from "./client";
import { describeProblem } from "./problems";

const problem = (code: Problem["code"], status: number, extra: Record<string, unknown> = {}): Problem => ({
  type: `https://ancre.dev/problems/${code}`,
  title: code,
  status,
  detail: `English detail for ${code}`,
  code,
  request_id: "req_123",
  ...extra,
});

const translators: Record<"en" | "fr", TFunction> = {} as never;
beforeAll(async () => {
  for (const language of ["en", "fr"] as const) {
    const instance = createInstance();
    await instance.init({ resources, lng: language, interpolation: { escapeValue: false } });
    translators[language] = instance.t;
  }
});

describe("describeProblem", () => {
  it("says when to retry a rate-limited request, from the problem or the Retry-After header", () => {
    const fromBody = new ApiError(429, problem("rate_limited", 429, { retry_after: 12 }));
    expect(describeProblem(fromBody, translators.en, "en").sentence).toBe(
      "Too many requests. Try again in 12 s.",
    );
    const fromHeader = new ApiError(429, problem("rate_limited", 429), 30);
    expect(describeProblem(fromHeader, translators.fr, "fr").sentence).toBe(
      "Trop de requêtes. Réessayez dans 30 s.",
    );
  });

  it("names the exhausted quota, when it resets and the upgrade path on the free plan", () => {
    const error = new ApiError(
      429,
      problem("quota_exceeded", 429, {
        metric: "chat_messages",
        limit: 500,
        used: 500,
        remaining: 0,
        requested: 1,
        resets_at: "2026-12-01T00:00:00.000Z",
        plan: "free",
      }),
    );
    const message = describeProblem(error, translators.en, "en");
    expect(message.sentence).toBe(
      "You have used the 500 chat messages of the free plan for this period. It resets on December 1, 2026.",
    );
    expect(message).toMatchObject({ upgrade: true, hint: expect.stringContaining("Billing") });
    expect(describeProblem(error, translators.fr, "fr").sentence).toContain("1 décembre 2026");
  });

  it("gives a resource quota (storage) in readable units, with no reset date", () => {
    const error = new ApiError(
      429,
      problem("quota_exceeded", 429, {
        metric: "storage_bytes",
        limit: 100 * 1024 * 1024,
        resets_at: null,
        plan: "pro",
      }),
    );
    const message = describeProblem(error, translators.en, "en");
    expect(message.sentence).toBe("The pro plan allows 100 MB of storage. Free some up to continue.");
    expect(message.upgrade).toBeUndefined();
  });

  it("explains a plan limit on a count, such as assistants", () => {
    const error = new ApiError(
      403,
      problem("plan_limit_reached", 403, { metric: "assistants", limit: 3, plan: "free" }),
    );
    expect(describeProblem(error, translators.en, "en").sentence).toBe(
      "The free plan allows 3 assistants. Delete one to make room.",
    );
  });

  it("lists the invalid fields without where they came from", () => {
    const error = new ApiError(
      400,
      problem("validation_failed", 400, { errors: [{ field: "body.name", message: "Required" }] }),
    );
    expect(describeProblem(error, translators.en, "en").sentence).toBe("Check these fields: name.");
  });

  it("quotes the request id of an unexpected server failure", () => {
    const error = new ApiError(500, problem("internal_error", 500));
    expect(describeProblem(error, translators.en, "en").sentence).toContain("req_123");
  });

  it("treats an unanswered request as a network failure, in the user's language", () => {
    expect(describeProblem(ApiError.network(), translators.fr, "fr").sentence).toMatch(/injoignable/);
    expect(describeProblem(new TypeError("Failed to fetch"), translators.en, "en").sentence).toMatch(
      /could not be reached/,
    );
  });

  it("falls back on the API's own sentence for a code it does not know", () => {
    const error = new ApiError(409, {
      ...problem("conflict", 409),
      code: "something_new" as Problem["code"],
    });
    expect(describeProblem(error, translators.en, "en").sentence).toBe("English detail for conflict");
  });
});
