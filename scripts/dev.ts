// `npm run dev`: the console rebuilt on change (vite build --watch) beside the Worker (wrangler dev)
// on http://localhost:8787, which serves both. The first build has already run (see package.json),
// so wrangler starts with the console in place. Ctrl-C stops both; either one stopping stops the other.
import { type ChildProcess, spawn } from "node:child_process";

const children: ChildProcess[] = [
  spawn("vite", ["build", "--watch", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
    stdio: "inherit",
  }),
  spawn("wrangler", ["dev", "--test-scheduled", ...process.argv.slice(2)], { stdio: "inherit" }),
];

let stopping = false;
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exitCode = code;
}

for (const child of children) child.on("exit", (code) => stopAll(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stopAll(0));
