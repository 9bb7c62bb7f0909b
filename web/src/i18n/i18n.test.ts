import { describe, expect, it } from "vitest";
import { errorStatus } from "../../../src/errors";
import { detectedTypes } from "../../../src/ingest/detect-format";
import { documentFailureCodes } from "../../../src/storage/schema/documents";
import { detectedFileTypes, problemCodeKeys } from "../api/problems";
import { en } from "./en";
import { fr } from "./fr";

type Tree = { [key: string]: string | Tree };

/** Every key of a catalogue with its string, dotted: `problems.rateLimited` → "Too many…". */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") entries.set(path, value);
    else for (const [inner, text] of flatten(value, path)) entries.set(inner, text);
  }
  return entries;
}

const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((match) => match[1]).sort();

describe("the console's catalogues", () => {
  const english = flatten(en);
  const french = flatten(fr);

  it("name every kind of file the server can detect, in the server's own list", () => {
    expect([...detectedFileTypes]).toEqual([...detectedTypes]);
    for (const type of detectedTypes) expect(english.has(`fileTypes.${type}`), type).toBe(true);
  });

  it("have the same keys in French as in English", () => {
    expect([...french.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it("keep every interpolated value of the English sentence in the French one", () => {
    for (const [key, text] of english) {
      expect({ key, values: placeholders(french.get(key) ?? "") }).toEqual({
        key,
        values: placeholders(text),
      });
    }
  });

  it("leave no French string empty", () => {
    const empty = [...french].filter(([, text]) => text.trim() === "").map(([key]) => key);
    expect(empty).toEqual([]);
  });
});

describe("the API's problem codes in the console", () => {
  it("give every code the API can answer with a sentence in both languages", () => {
    const english = flatten(en);
    const french = flatten(fr);
    const untranslated = Object.keys(errorStatus).flatMap((code) => {
      const key = (problemCodeKeys as Record<string, string>)[code];
      if (!key) return [`${code}: no sentence`];
      return [
        ...(english.get(key)?.trim() ? [] : [`${code}: ${key} missing in English`]),
        ...(french.get(key)?.trim() ? [] : [`${code}: ${key} missing in French`]),
      ];
    });
    expect(untranslated).toEqual([]);
  });
});

/**
 * One glossary per language: the word the console uses for each thing, and the words it must not
 * use for it (the same thing named twice reads as two things).
 */
const glossary: Record<"en" | "fr", { term: string; avoid: RegExp[] }[]> = {
  en: [
    { term: "passages (the pieces a document is split into)", avoid: [/\bchunks?\b/i] },
    { term: "tokens (what the model reads and writes)", avoid: [/\bLLM tokens\b/i] },
    { term: "Free / Pro (the plans)", avoid: [/\bfree plan\b/, /\bpro plan\b/] },
    { term: "Temperature, passages read (an assistant's tuning)", avoid: [/top_k/, /\bT \d/] },
  ],
  fr: [
    { term: "passages", avoid: [/\bchunks?\b/i, /\bfragments?\b/i] },
    { term: "pages indexées", avoid: [/ingérées?/i] },
    { term: "jetons", avoid: [/\btokens?\b/i] },
    { term: "Gratuite / Pro (les offres)", avoid: [/\bFree\b/, /\bgratuite\b/] },
    { term: "Température, passages lus", avoid: [/top_k/, /\bT \d/] },
    { term: "Bac à sable (la page Playground)", avoid: [/\bplayground\b/i] },
    { term: "e-mail", avoid: [/(?<!-)\bemail\b/i, /(?<![eE]-)\bmail\b/] },
  ],
};

describe("the glossary", () => {
  for (const [language, catalogue] of [
    ["en", en],
    ["fr", fr],
  ] as const) {
    it(`holds in ${language === "en" ? "English" : "French"}: one word for each thing`, () => {
      const strays = [...flatten(catalogue)].flatMap(([key, sentence]) => {
        const text = sentence.replaceAll(/{{\s*\w+\s*}}/g, "");
        return glossary[language].flatMap(({ term, avoid }) =>
          avoid.filter((pattern) => pattern.test(text)).map((pattern) => `${key}: ${pattern} (say ${term})`),
        );
      });
      expect(strays).toEqual([]);
    });
  }
});

describe("a failed document's reasons in the console", () => {
  it("give every failure code the API can record a sentence in both languages", () => {
    const english = flatten(en);
    const french = flatten(fr);
    const missing = [...documentFailureCodes, "unknown"].flatMap((code) =>
      [english, french].flatMap((catalogue, i) =>
        catalogue.get(`documentFailures.${code}`)?.trim() ? [] : [`${code} (${i ? "fr" : "en"})`],
      ),
    );
    expect(missing).toEqual([]);
  });
});
