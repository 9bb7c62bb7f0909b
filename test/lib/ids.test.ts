import { describe, expect, it } from "vitest";
import { newId } from "../../src/lib/ids";

describe("newId", () => {
  it("makes prefixed ids that sort in the order they were made, even within a millisecond", () => {
    const ids = Array.from({ length: 2000 }, () => newId("msg"));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-hjkmnp-tv-z]{26}$/);
  });
});
