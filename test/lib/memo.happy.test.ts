import { describe, expect, it } from "vitest";
import { memoBy, memoByText } from "../../src/lib/memo";

describe("memoByText", () => {
  it("computes a text once while it is among the last ones seen, and again once forgotten", () => {
    const computed: string[] = [];
    const length = memoByText(2, (text) => {
      computed.push(text);
      return text.length;
    });
    expect([length("a"), length("bb"), length("a"), length("bb")]).toEqual([1, 2, 1, 2]);
    expect(computed).toEqual(["a", "bb"]);
    // A third text pushes out the oldest: "a" is computed again, "bb" and "ccc" are not.
    expect([length("ccc"), length("a"), length("ccc")]).toEqual([3, 1, 3]);
    expect(computed).toEqual(["a", "bb", "ccc", "a"]);
  });
});

describe("memoBy", () => {
  it("computes once per key, whatever object carries it, and tells apart what the key tells apart", () => {
    const computed: string[] = [];
    const label = memoBy(
      8,
      (hit: { text: string; section: string | null }) => `${hit.section ?? ""}\u0000${hit.text}`,
      (hit) => {
        computed.push(hit.text);
        return `${hit.section}: ${hit.text}`;
      },
    );
    expect(label({ text: "a", section: "S" })).toBe("S: a");
    // Another object with the same section and text: remembered, not computed again.
    expect(label({ text: "a", section: "S" })).toBe("S: a");
    // The same text in another section is another key.
    expect(label({ text: "a", section: "References" })).toBe("References: a");
    expect(computed).toEqual(["a", "a"]);
  });
});
