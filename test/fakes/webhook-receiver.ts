import { type FakeServer, sendJson, startFakeServer } from "./http-server";

/** A request the receiver got, as a test reads it back. */
export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** The status the receiver answered with. */
  status: number;
}

/**
 * A tenant's webhook receiver: every path under `/hooks/` is an endpoint of its own, answering
 * 200 unless a test scripted its next answers. Test-only routes:
 * - `POST /__script/<name>` `{ "statuses": [500, 503] }`: the endpoint's next answers, in order;
 * - `GET /__log/<name>`: what the endpoint received, oldest first.
 */
export function startWebhookReceiver(): Promise<FakeServer> {
  const scripts = new Map<string, number[]>();
  const logs = new Map<string, ReceivedWebhook[]>();
  return startFakeServer((req, body, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const [, kind, name = ""] = path.split("/");
    if (kind === "__script" && req.method === "POST") {
      scripts.set(name, (JSON.parse(body.toString("utf8")) as { statuses: number[] }).statuses);
      sendJson(res, 204, {});
      return;
    }
    if (kind === "__log" && req.method === "GET") {
      sendJson(res, 200, logs.get(name) ?? []);
      return;
    }
    if (kind !== "hooks" || req.method !== "POST") {
      sendJson(res, 404, { error: "not found" });
      return;
    }
    const status = scripts.get(name)?.shift() ?? 200;
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.join(", ") : (value ?? ""),
      ]),
    );
    logs.set(name, [...(logs.get(name) ?? []), { headers, body: body.toString("utf8"), status }]);
    sendJson(res, status, { received: status < 300 });
  });
}
