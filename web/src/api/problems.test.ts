import { createInstance, type TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { resources } from "@/i18n";
import { ApiError, type Problem } from "./client";
import { describeProblem, formatBytes } from "./problems";

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
      "You have used the 500 chat messages of the Free plan for this period. It resets on December 1, 2026.",
    );
    expect(message).toMatchObject({ upgrade: true, hint: expect.stringContaining("Billing") });
    expect(describeProblem(error, translators.fr, "fr").sentence).toContain("1 décembre 2026");
  });

  it("suggests no upgrade when the server takes no payments", () => {
    const error = new ApiError(
      403,
      problem("plan_limit_reached", 403, { metric: "assistants", limit: 3, plan: "free" }),
    );
    const message = describeProblem(error, translators.en, "en", { billing: false });
    expect(message).toEqual({ sentence: "The Free plan allows 3 assistants. Delete one to make room." });
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
    expect(message.sentence).toBe("The Pro plan allows 100 MB of storage. Free some up to continue.");
    expect(message.upgrade).toBeUndefined();
  });

  it("explains a plan limit on a count, such as assistants", () => {
    const error = new ApiError(
      403,
      problem("plan_limit_reached", 403, { metric: "assistants", limit: 3, plan: "free" }),
    );
    expect(describeProblem(error, translators.en, "en").sentence).toBe(
      "The Free plan allows 3 assistants. Delete one to make room.",
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

  it("names the plan with the glossary's word, in French too", () => {
    const error = new ApiError(
      403,
      problem("plan_limit_reached", 403, { metric: "assistants", limit: 3, plan: "free" }),
    );
    expect(describeProblem(error, translators.fr, "fr").sentence).toBe(
      "L'offre Gratuite permet 3 assistants. Supprimez-en un pour faire de la place.",
    );
  });

  it("says what a file really is when its content is not what its extension says", () => {
    const error = new ApiError(
      415,
      problem("file_type_mismatch", 415, { declared_format: "pdf", detected_type: "executable" }),
    );
    expect(describeProblem(error, translators.en, "en")).toEqual({
      sentence: "This file is not a PDF: its content is a program (an executable).",
      hint: "Save or export it as .pdf, or upload it under its real extension.",
    });
    expect(describeProblem(error, translators.fr, "fr").sentence).toBe(
      "Ce fichier n'est pas un PDF : son contenu est un programme (un exécutable).",
    );
  });

  it("shows the server's words about its settings to admins only", () => {
    const error = new ApiError(503, {
      ...problem("not_configured", 503),
      detail: "Billing is not configured: set STRIPE_SECRET_KEY.",
    });
    const member = describeProblem(error, translators.fr, "fr");
    expect(member.sentence).toMatch(/pas mise en place/);
    expect(JSON.stringify(member)).not.toContain("STRIPE");
    const admin = describeProblem(error, translators.fr, "fr", { admin: true });
    expect(admin.hint).toContain("STRIPE_SECRET_KEY");
  });

  it("translates a known code rather than repeat the API's English detail", () => {
    const error = new ApiError(409, problem("conflict", 409));
    expect(describeProblem(error, translators.fr, "fr").sentence).not.toContain("English");
  });

  it("falls back on the API's own sentence for a code it does not know", () => {
    const error = new ApiError(409, {
      ...problem("conflict", 409),
      code: "something_new" as Problem["code"],
    });
    expect(describeProblem(error, translators.en, "en").sentence).toBe("English detail for conflict");
  });
});

describe("formatBytes", () => {
  it("writes sizes with the unit that keeps the number short", () => {
    expect(formatBytes(0, "en")).toBe("0 bytes");
    expect(formatBytes(1, "en")).toBe("1 byte");
    // French puts a no-break space (of either width) between a number and its unit.
    const spaced = (text: string) => text.replaceAll(/[\u00a0\u202f]/g, " ");
    expect(spaced(formatBytes(0, "fr"))).toBe("0 octet");
    expect(spaced(formatBytes(512, "fr"))).toBe("512 octets");
    expect(spaced(formatBytes(1_016_315, "fr"))).toBe("992 ko");
    expect(formatBytes(1_016_315, "en")).toBe("992 kB");
    expect(formatBytes(50 * 1024 * 1024, "en")).toBe("50 MB");
  });
});
