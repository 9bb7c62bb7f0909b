import { describe, expect, it } from "vitest";
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
