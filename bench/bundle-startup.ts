// Which modules of an esbuild bundle (what `wrangler deploy` uploads) a Worker evaluates at start-up.
// esbuild wraps an ES module that is imported dynamically, or required, in `var init_x = __esm({ "path"() {…} })`
// and runs it on the first `init_x()`; a CommonJS module is wrapped in `var require_x = __commonJS(…)`
// alike. A module is evaluated at start-up when its initialiser is called from the bundle's top level,
// or from another initialiser that is, other than through an `import()` (`Promise.resolve().then(() =>
// (init_x(), …))`, or `__toESM(require_x())` for CommonJS), which runs it only when that path runs.

const WRAPPER = /^var ((?:init|require)_[\w$]+) = __(?:esm|commonJS)\(\{$/;
const INIT_CALL = /(Promise\.resolve\(\)\.then\(\(\) => (?:\(|__toESM\())?\b((?:init|require)_[\w$]+)\(\)/g;

/** The wrapped modules (by their path in the bundle) evaluated at start-up, and those left for later. */
export function modulesEvaluatedAtStartup(bundle: string): { eager: string[]; lazy: string[] } {
  const pathOf = new Map<string, string>();
  const calls = new Map<string, Set<string>>(); // initialiser → the initialisers it runs at once
  const roots = new Set<string>();
  const lines = bundle.split("\n");
  let current: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const wrapper = WRAPPER.exec(line);
    if (wrapper) {
      current = wrapper[1]!;
      pathOf.set(current, /"([^"]+)"/.exec(lines[i + 1] ?? "")?.[1] ?? current);
      calls.set(current, new Set());
      continue;
    }
    if (current && line === "});") {
      current = undefined;
      continue;
    }
    for (const [, dynamic, init] of line.matchAll(INIT_CALL)) {
      if (dynamic) continue;
      if (current) calls.get(current)!.add(init!);
      else roots.add(init!);
    }
  }
  const reached = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const init = pending.pop()!;
    if (reached.has(init)) continue;
    reached.add(init);
    pending.push(...(calls.get(init) ?? []));
  }
  const eager: string[] = [];
  const lazy: string[] = [];
  for (const [init, path] of pathOf) (reached.has(init) ? eager : lazy).push(path);
  return { eager, lazy };
}
