import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** A `wrangler dev` of this repository, on its own port and with its own local state. */
export interface DevServer {
  url: string;
  /** workerd's DevTools inspector (CPU profiles of the Worker and its objects). */
  inspectorPort: number;
  /** The process group of wrangler and its workerd (CPU read from /proc by the benches). */
  processGroup: number;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function npx(args: string[], cwd: string) {
  execFileSync("npx", args, { cwd, stdio: ["ignore", "ignore", "inherit"] });
}

/** Builds what the Worker serves (the widget, the console) when the repository has a build step. */
export function buildAssets() {
  const scripts = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts ?? {};
  // vitest sets NODE_ENV=test, which would make Vite build React's development bundle: the tests
  // drive the production build users get.
  if (scripts.build)
    execFileSync("npm", ["run", "build"], {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    });
}

/** What wrangler (through npx) needs to run, and the copilot Worker's vars: both Workers read it. */
function copilotProcessEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const kept = ["PATH", "HOME", "TMPDIR", "LANG", "npm_config_cache"].filter((name) => process.env[name]);
  return {
    ...Object.fromEntries(kept.map((name) => [name, process.env[name]])),
    ...vars,
    CLOUDFLARE_INCLUDE_PROCESS_ENV: "true",
  };
}

async function waitForHealth(url: string, server: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`wrangler dev exited (${server.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer /api/v1/health within ${timeoutMs} ms:\n${output()}`);
}

/**
 * Starts `wrangler dev` on a free port with a fresh state directory and the D1 migrations applied,
 * as `npm run dev` does on a new machine (embedded defaults, development auth bypass). `vars` go to
 * the API Worker. With `copilot`, the copilot Worker runs beside it as `npm run dev` runs it (one
 * wrangler dev, both configs) with `copilot.vars`: wrangler gives a second config neither `--var`
 * nor `--env-file`, so they reach it as the process environment wrangler is told to read
 * (CLOUDFLARE_INCLUDE_PROCESS_ENV), in an environment holding nothing else than what npx needs.
 */
export async function startDevServer(
  options: {
    vars?: Record<string, string>;
    copilot?: { vars: Record<string, string> };
    onOutput?: (chunk: string) => void;
  } = {},
): Promise<DevServer> {
  const stateDir = mkdtempSync(join(tmpdir(), "ancre-dev-"));
  npx(["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], repoRoot);
  const port = await freePort();
  const inspectorPort = await freePort();
  const vars = Object.entries(options.vars ?? {}).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const server = spawn(
    "npx",
    [
      "wrangler",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      stateDir,
      "--show-interactive-dev-session=false",
      ...(options.copilot ? ["-c", "wrangler.toml", "-c", "copilot/wrangler.toml"] : []),
      ...vars,
    ],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: options.copilot ? copilotProcessEnv(options.copilot.vars) : process.env,
    },
  );
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
    options.onOutput?.(chunk.toString());
  };
  server.stdout?.on("data", keep);
  server.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null && server.pid) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      process.kill(-server.pid, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (server.exitCode === null) process.kill(-server.pid, "SIGKILL");
    }
    if (existsSync(stateDir)) rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, server, () => log, 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, inspectorPort, processGroup: server.pid ?? 0, stop };
}
