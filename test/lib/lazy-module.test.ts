import { describe, expect, it } from "vitest";
import { lazyModule } from "../../src/lib/lazy-module";

describe("lazyModule", () => {
  it("refuses a read before its load, naming the module, and imports once for concurrent loads", async () => {
    let imports = 0;
    const tables = lazyModule("The test tables", async () => {
      imports++;
      return { size: 3 };
    });
    expect(tables.peek()).toBeUndefined();
    expect(() => tables.loaded()).toThrow("The test tables used before it was loaded");
    const [first, second] = await Promise.all([tables.load(), tables.load()]);
    expect(first).toBe(second);
    expect(tables.loaded()).toBe(first);
    expect(tables.peek()).toBe(first);
    expect(imports).toBe(1);
  });
});
