import { inject } from "vitest";

/**
 * Hands a benchmark's figures from workerd (which has no filesystem) to the global setup, which
 * writes them to bench/results/<name>.json with the machine, the date and the commit.
 */
export async function recordBenchResult(name: string, figures: unknown): Promise<void> {
  const response = await fetch(`${inject("benchResultsUrl")}/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(figures),
  });
  if (!response.ok) throw new Error(`recording ${name} failed: ${response.status} ${await response.text()}`);
}

/**
 * Hands what a benchmark retrieved to the global setup, which writes it to bench/recorded/<name>.json
 * (ignored by git) for an offline replay.
 */
export async function recordBenchData(name: string, data: unknown): Promise<void> {
  const response = await fetch(`${inject("benchResultsUrl")}/recorded/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(data),
  });
  if (!response.ok) throw new Error(`recording ${name} failed: ${response.status} ${await response.text()}`);
}
