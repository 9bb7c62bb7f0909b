import { describe, expect, it } from "vitest";
import type { Language } from "../../src/lib/text/language";
import { readOriginal } from "../helpers/corpus";
import { search, upload, waitForDocument } from "../helpers/documents";
import { createCollection, createTenant, type TestTenant } from "../helpers/tenants";

// One small document per language and a question that names its subject with another inflection
// of the same word only (SQLite's English porter stemmer leaves most of these pairs apart).
const CASES: Record<Language, { document: string; question: string; quoted: string }> = {
  en: {
    document: "The committee approved the harbour budgets after long negotiations.",
    question: "Who gave the approval?",
    quoted: "approved",
  },
  fr: {
    document:
      "Les chercheurs ont évalué l'approche sur trois jeux de données publics et comparé les résultats.",
    question: "Comment se fait l'évaluation ?",
    quoted: "évalué l'approche",
  },
  de: {
    document: "Die Forscher haben die Lieferungen der Fabrik im ganzen Winter gezählt und notiert.",
    question: "Welche Lieferung kam zuerst?",
    quoted: "Lieferungen der Fabrik",
  },
  es: {
    document: "Los agricultores cosechaban las naranjas del valle en diciembre.",
    question: "¿Cuándo es la cosecha?",
    quoted: "cosechaban",
  },
  it: {
    document: "Gli studenti hanno pubblicato le loro ricerche sulla rivista della facoltà.",
    question: "Dove è stata pubblicata la ricerca?",
    quoted: "facoltà",
  },
  pt: {
    document: "O projeto foi avaliado por três auditores independentes no ano passado.",
    question: "Quem fez a avaliação?",
    quoted: "três auditores",
  },
  nl: {
    document: "De onderzoekers beoordelen elk jaar de kwaliteit van het water in de haven.",
    question: "Wie deed de beoordeling?",
    quoted: "beoordelen",
  },
};

async function uploadText(tenant: TestTenant, collectionId: string, filename: string, text: string) {
  const uploaded = await upload(tenant, collectionId, filename, new TextEncoder().encode(text));
  return waitForDocument(tenant, uploaded.id);
}

describe("keyword search per language", () => {
  it("matches inflections in each language, stores each document's language and quotes the original text", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const documentIds = new Map<Language, string>();
    for (const [language, { document }] of Object.entries(CASES)) {
      const stored = await uploadText(tenant, collection.id, `${language}.txt`, document);
      expect(stored, language).toMatchObject({ status: "ready", language });
      documentIds.set(language as Language, stored.id);
    }
    for (const [language, { question, quoted }] of Object.entries(CASES)) {
      const [best] = await search(tenant, question, { mode: "keyword", top_k: 3 });
      expect(best, `${language}: ${question}`).toMatchObject({
        document_id: documentIds.get(language as Language),
        language,
      });
      expect(best!.text).toContain(quoted);
    }
    // Seven ingestions one after the other, the first in a cold runtime.
  }, 60_000);

  it("finds a passage of the original product's French README by other inflections of its words", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const uploaded = await upload(
      tenant,
      collection.id,
      "ancre-saas.md",
      await readOriginal("001_42cd5e214af97fe8.txt"),
    );
    const document = await waitForDocument(tenant, uploaded.id);
    expect(document).toMatchObject({ status: "ready", language: "fr" });
    // The README lists an "Action KPI (données structurées)", never "une donnée structurée".
    const [best] = await search(tenant, "Quelle action renvoie une donnée structurée ?", { mode: "keyword" });
    expect(best).toMatchObject({ document_id: document.id, language: "fr" });
    expect(best!.text).toContain("Action KPI (données structurées)");
  });

  it("leaves a document's language null when it cannot tell", async () => {
    const tenant = await createTenant();
    const collection = await createCollection(tenant);
    const stored = await uploadText(tenant, collection.id, "numbers.txt", "4711 0815 2026 42");
    expect(stored).toMatchObject({ status: "ready", language: null });
    const [hit] = await search(tenant, "0815", { mode: "keyword" });
    expect(hit).toMatchObject({ document_id: stored.id, language: null });
  });
});
