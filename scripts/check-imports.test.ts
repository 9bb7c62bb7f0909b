// Node-side test of the import check: `npm run test:scripts`.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { checkImports, findCycles, importGraph, importSpecifiers, layerViolations } from "./check-imports.ts";

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A project root holding `files` (paths relative to the root, e.g. `src/a.ts`). */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "check-imports-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("import check", () => {
  it("reads static, type-only, multi-line, re-exported, side-effect and dynamic imports", () => {
    const text = [
      'import { a } from "./a";',
      'import type { B } from "../b";',
      "import {\n  c,\n  d,\n} from './c';",
      'export { e } from "./e";',
      'export type * from "./f";',
      'import "./g";',
      'const h = () => import("./h");',
      'export const notAnImport = "./i";',
      '// taken from "./j" once',
    ].join("\n");
    assert.deepEqual(importSpecifiers(text).sort(), ["../b", "./a", "./c", "./e", "./f", "./g", "./h"]);
  });

  it("finds a cycle made only of type imports, through a folder's index", () => {
    const root = project({
      "src/context.ts": 'import type { Turn } from "./services/chat";\nexport interface Ctx {}\n',
      "src/services/chat/index.ts": 'import type { Ctx } from "../../context";\nexport interface Turn {}\n',
      "src/lib/ids.ts": "export const id = 1;\n",
    });
    assert.deepEqual(findCycles(importGraph(root)), [
      ["src/context.ts", "src/services/chat/index.ts", "src/context.ts"],
    ]);
    assert.equal(checkImports(root).length, 1);
  });

  it("finds a cycle closed by a re-export, and a module importing itself", () => {
    const root = project({
      "src/a.ts": 'export { b } from "./b";\n',
      "src/b.ts": 'import { c } from "./c.ts";\nexport const b = c;\n',
      "src/c.ts": 'import { a } from "./a";\nexport const c = 1;\n',
      "src/self.ts": 'import { x } from "./self";\nexport const x = 1;\n',
    });
    assert.deepEqual(findCycles(importGraph(root)), [
      ["src/a.ts", "src/b.ts", "src/c.ts", "src/a.ts"],
      ["src/self.ts", "src/self.ts"],
    ]);
  });

  it("passes a graph without cycle, and refuses an import of a Durable Object below the entry", () => {
    const root = project({
      "src/index.ts": 'export { Quota } from "./durable-objects/quota.do";\n',
      "src/durable-objects/quota.do.ts": 'import type { QuotaObject } from "../services/quotas/interface";\n',
      "src/services/quotas/interface.ts": "export interface QuotaObject {}\n",
      "src/services/quotas/index.ts": 'import type { QuotaObject } from "./interface";\n',
      "src/middleware/rate-limit.ts": 'import { takeRequest } from "../services/quotas";\n',
    });
    assert.deepEqual(checkImports(root), []);

    writeFileSync(
      join(root, "src/middleware/rate-limit.ts"),
      'import type { Quota } from "../durable-objects/quota.do";\n',
    );
    assert.deepEqual(layerViolations(importGraph(root)), [
      { from: "src/middleware/rate-limit.ts", to: "src/durable-objects/quota.do.ts" },
    ]);
  });
});
