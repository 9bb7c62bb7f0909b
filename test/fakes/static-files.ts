import { readFile } from "node:fs/promises";
import { normalize, resolve, sep } from "node:path";
import { type FakeServer, startFakeServer } from "./http-server";

/** Serves the files under `root` (GET only, no listing). */
export function startStaticServer(root: string): Promise<FakeServer> {
  const base = resolve(root);
  return startFakeServer(async (req, _body, res) => {
    const path = resolve(
      base,
      `.${normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname))}`,
    );
    if (req.method !== "GET" || !path.startsWith(base + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const bytes = await readFile(path);
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": bytes.length });
      res.end(bytes);
    } catch {
      res.writeHead(404).end();
    }
  });
}
