/**
 * Whether `vitest run <args>` would run the browser project: always, unless the arguments name
 * projects without it, or filter by paths none of which is under test/browser.
 */
export function runsBrowserTests(args: string[]): boolean {
  const projects: string[] = [];
  const filters: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--project") projects.push(args[++i] ?? "");
    else if (arg.startsWith("--project=")) projects.push(arg.slice("--project=".length));
    // A value given after an option (`--reporter json`) is not a file filter: only words that look
    // like paths filter files.
    else if (!arg.startsWith("-") && /[/.]/.test(arg)) filters.push(arg);
  }
  if (projects.length > 0 && !projects.includes("browser")) return false;
  if (filters.length > 0 && !filters.some((filter) => filter.includes("browser"))) return false;
  return true;
}

/**
 * The arguments with the stall watchdog (scripts/stall-watchdog.ts) among the reporters: beside
 * those the arguments name, or beside vitest's default one when they name none.
 */
export function withStallWatchdog(args: string[], watchdog: string): string[] {
  const namesReporters = args.some((arg) => arg === "--reporter" || arg.startsWith("--reporter="));
  return [...args, ...(namesReporters ? [] : ["--reporter=default"]), `--reporter=${watchdog}`];
}
