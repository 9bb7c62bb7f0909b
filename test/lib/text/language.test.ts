import { beforeAll, describe, expect, it } from "vitest";
import { detectLanguage, loadLanguageDetector, SUPPORTED_LANGUAGES } from "../../../src/lib/text/language";
import { SHORT_QUESTIONS } from "./short-questions";

describe("detectLanguage", () => {
  beforeAll(loadLanguageDetector, 60_000);

  it("recognises short questions in every supported language (69 of 70 when measured)", () => {
    const misses: string[] = [];
    for (const language of SUPPORTED_LANGUAGES) {
      for (const question of SHORT_QUESTIONS[language]) {
        const detected = detectLanguage(question);
        if (detected !== language) misses.push(`${language} → ${detected}: ${question}`);
      }
    }
    expect(misses.length, misses.join("\n")).toBeLessThanOrEqual(2);
  });

  it("recognises the French questions of the original walkthrough", () => {
    expect(detectLanguage("Qui sont les auteurs de l'article ?")).toBe("fr");
    expect(detectLanguage("Quelle université a publié cet article ?")).toBe("fr");
    expect(detectLanguage("Résume ce document")).toBe("fr");
  });

  it("says nothing about text too short to tell, or in a language it does not analyse", () => {
    expect(detectLanguage("ok")).toBeUndefined();
    expect(detectLanguage("1234 ?")).toBeUndefined();
    expect(detectLanguage("Vem är författarna till artikeln?")).toBeUndefined();
    expect(detectLanguage("Кто авторы статьи?")).toBeUndefined();
  });
});
