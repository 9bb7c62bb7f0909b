import { vi } from "vitest";

export type LogLine = Record<string, unknown>;

/**
 * Captures what the Worker logs through console.log, console.warn and console.error, as the lines
 * Workers Logs would receive. Each line must be one JSON object: a line that is not fails `lines()`.
 */
export function captureLogs() {
  const raw: string[] = [];
  const spies = (["log", "warn", "error"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      raw.push(args.map((arg) => (typeof arg === "string" ? arg : String(arg))).join(" "));
    }),
  );
  return {
    raw,
    lines: (): LogLine[] =>
      raw.map((line) => {
        try {
          return JSON.parse(line) as LogLine;
        } catch {
          throw new Error(`a log line is not JSON: ${line}`);
        }
      }),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
