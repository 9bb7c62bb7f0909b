import { describe, expect, it } from "vitest";
import { wholeDocumentRequest } from "../../../src/lib/text/summary-request";

describe("wholeDocumentRequest", () => {
  it("recognises requests about a whole document, phrased in each supported language", () => {
    for (const request of [
      "Résume ce document",
      "Résume-moi ce document, s'il te plaît.",
      "Peux-tu faire une synthèse du fichier ?",
      "De quoi parle ce document ?",
      "Quel est le sujet de ce texte ?",
      "Summarize this document",
      "Could you summarise the file, please?",
      "What is this document about?",
      "Give me an overview",
      "Fasse dieses Dokument zusammen",
      "Worum geht es in diesem Dokument?",
      "Zusammenfassung bitte",
      "Resume este documento",
      "¿De qué trata este documento?",
      "Riassumi questo documento",
      "Di cosa parla il documento?",
      "Resuma este documento",
      "Do que se trata este documento?",
      "Vat dit document samen",
      "Waar gaat dit document over?",
    ]) {
      expect(wholeDocumentRequest(request), request).toEqual({ rest: [] });
    }
  });

  it("leaves questions about a topic to search, even when they ask for a summary", () => {
    for (const question of [
      "Qui sont les auteurs de l'article ?",
      "Quels formats de documents sont supportés ?",
      "Summarize the billing rules",
      "Résume la configuration de Stripe",
      "What do you know about Clerk?",
      "Which documents mention quotas?",
    ]) {
      const request = wholeDocumentRequest(question);
      expect(request === undefined || request.rest.length > 0, question).toBe(true);
    }
  });

  it("keeps the words that may name a document", () => {
    expect(wholeDocumentRequest("Résume le fichier 001_42cd5e214af97fe8.txt")?.rest).toEqual([
      "001",
      "42cd5e214af97fe8",
      "txt",
    ]);
  });
});
