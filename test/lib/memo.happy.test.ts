import { describe, expect, it } from "vitest";
import { memoByText } from "../../src/lib/memo";

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
