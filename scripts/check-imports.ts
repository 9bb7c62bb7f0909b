/**
 * Fails (exit 1) when the modules under src/ import one another in a cycle, or when a file other
 * than the entry (src/index.ts) and the Durable Objects themselves imports a file under
 * src/durable-objects/. Every relative `import`, `import type`, `export … from` and `import("…")`
 * is an edge: a type-only cycle still ties the layers together.
 *
 * Run: `npm run check:imports` (node --experimental-strip-types scripts/check-imports.ts [root]).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Module → the modules it imports, both as paths relative to the root (`src/…`). */
export type ImportGraph = Map<string, string[]>;

const SOURCE = /\.(ts|tsx|mts)$/;
// Static imports and re-exports start a line (the formatter puts them there); the specifier is the
// first string after `from`, or right after `import` for a side-effect import.
const STATIC_IMPORT = /^(?:import\s+(?:[^;'"]*?\s+from\s+)?|export\s+[^;'"]*?\s+from\s+)["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The specifiers a module's text imports (relative and bare alike). */
export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(STATIC_IMPORT), ...text.matchAll(DYNAMIC_IMPORT)].map((match) => match[1]!);
}

// Resolves a relative specifier the way the bundler does: as written, then with an extension, then
// as a folder's index. Bare specifiers (packages, `cloudflare:workers`) are not part of the graph.
function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/** The import graph of every source file under `root`/src, with paths relative to `root`. */
export function importGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of sourceFiles(join(root, "src"))) {
    const targets = importSpecifiers(readFileSync(file, "utf8"))
      .map((specifier) => resolveSpecifier(file, specifier))
      .filter((path): path is string => path !== undefined && SOURCE.test(path))
      .map((path) => relative(root, path));
    graph.set(relative(root, file), [...new Set(targets)]);
  }
  return graph;
}

// Strongly connected components (Tarjan); a component of two or more modules, or a module that
// imports itself, holds a cycle.
function cyclicComponents(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

// The shortest path from `start` back to itself within a component (breadth-first).
function shortestCycle(graph: ImportGraph, component: string[], start: string): string[] {
  const inside = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of graph.get(node) ?? []) {
      if (!inside.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start];
}

/** Every import cycle, one per group of modules tied together, as a path `a → b → … → a`. */
export function findCycles(graph: ImportGraph): string[][] {
  return cyclicComponents(graph).map((component) => shortestCycle(graph, component, component[0]!));
}

const DURABLE_OBJECTS = "src/durable-objects/";
const ENTRY = "src/index.ts";

/** Imports of a Durable Object's file from anywhere but the entry and the other objects. */
export function layerViolations(graph: ImportGraph): { from: string; to: string }[] {
  return [...graph].flatMap(([from, targets]) =>
    from === ENTRY || from.startsWith(DURABLE_OBJECTS)
      ? []
      : targets.filter((to) => to.startsWith(DURABLE_OBJECTS)).map((to) => ({ from, to })),
  );
}

/** The problems found under `root`, one line each; empty when the imports are clean. */
export function checkImports(root: string): string[] {
  const graph = importGraph(root);
  return [
    ...cyclicComponents(graph).map(
      (component) =>
        `import cycle: ${shortestCycle(graph, component, component[0]!).join(" → ")}` +
        ` (${component.length} modules tied: ${component.join(", ")})`,
    ),
    ...layerViolations(graph).map(
      ({ from, to }) =>
        `layer rule: ${from} imports ${to} (only ${ENTRY} may import a Durable Object; share contracts through an interface file)`,
    ),
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
  const problems = checkImports(root);
  const modules = importGraph(root).size;
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    console.error(`${problems.length} import problem(s) in ${modules} modules under ${join(root, "src")}`);
    process.exit(1);
  }
  console.log(
    `imports ok: ${modules} modules under src/, no cycle, no import of a Durable Object below the entry`,
  );
}
