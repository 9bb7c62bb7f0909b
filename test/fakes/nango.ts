import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { type FakeServer, sendJson, startFakeServer } from "./http-server.ts";

const SECRET_KEY = "nango_secret_ancre_fake";
const WEBHOOK_SECRET = "nango_webhook_ancre_fake";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
const GOOGLE_EXPORTS: Record<string, string> = {
  "application/vnd.google-apps.document": DOCX,
  "application/vnd.google-apps.presentation": PPTX,
};
// Small pages, so that listing a handful of files already takes several requests.
const PAGE_SIZE = 2;

const corpusRoot = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));

/** A file of a connection's source, as tests describe it: its bytes are a file of ../shared/corpus. */
export interface FakeSourceFile {
  id: string;
  /** Drive: the file name; Notion: the page title. */
  name: string;
  /** Drive's MIME type (a Google Doc is exported); Notion pages have none. */
  mimeType?: string;
  /** Drive's `version`, Notion's `last_edited_time`. */
  revision: string;
  /** The corpus file served as its content (Notion: read as the page's Markdown). */
  corpus: string;
}

interface FakeConnection {
  id: number;
  connection_id: string;
  provider_config_key: string;
  provider: string;
  created: string;
  tags: Record<string, string>;
  end_user: { id: string; organization: { id: string } | null } | null;
  files: FakeSourceFile[];
}

/** A request the fake served, as tests read it back from `GET /__log`. */
export interface LoggedNangoRequest {
  method: string;
  path: string;
  connectionId: string | null;
  body: unknown;
}

const readCorpusFile = (path: string) => readFile(`${corpusRoot}${path}`);

function page<T>(items: T[], cursor: string | null): { items: T[]; next: string | null } {
  const start = Number(cursor ?? 0);
  const end = start + PAGE_SIZE;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : null };
}

function nangoError(res: ServerResponse, status: number, code: string, message: string) {
  sendJson(res, status, { error: { code, message } });
}

/**
 * A local stand-in for the parts of Nango's HTTP API Ancre uses: connect sessions, connections
 * (listed by id, deleted), and the proxy to Google Drive (files list, download, export) and Notion
 * (search, pages as Markdown), serving files of ../shared/corpus. Tests add connections, as Connect
 * UI would, with `POST /__connections`, and set a connection's files with `PUT /__files/<id>`.
 */
export async function startNangoFake(): Promise<{
  fake: { url: string; secretKey: string; webhookSecret: string };
  server: FakeServer;
}> {
  const connections = new Map<string, FakeConnection>();
  const log: LoggedNangoRequest[] = [];
  let nextId = 1;

  async function proxy(req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse) {
    const connection = connections.get(String(req.headers["connection-id"] ?? ""));
    if (!connection || connection.provider_config_key !== req.headers["provider-config-key"]) {
      return nangoError(res, 404, "unknown_connection", "No connection with this id and integration");
    }
    const path = url.pathname.slice("/proxy".length);
    if (connection.provider === "google-drive") return driveProxy(connection, req, url, path, res);
    if (connection.provider === "notion") return notionProxy(connection, req, path, body, res);
    return nangoError(res, 404, "not_found", "The fake proxies google-drive and notion only");
  }

  async function driveProxy(
    connection: FakeConnection,
    req: IncomingMessage,
    url: URL,
    path: string,
    res: ServerResponse,
  ) {
    if (req.method === "GET" && path === "/drive/v3/files") {
      const listed = page(connection.files, url.searchParams.get("pageToken"));
      return sendJson(res, 200, {
        files: listed.items.map((file) => ({
          id: file.id,
          name: file.name,
          mimeType: file.mimeType,
          version: file.revision,
        })),
        ...(listed.next ? { nextPageToken: listed.next } : {}),
      });
    }
    const match = path.match(/^\/drive\/v3\/files\/([^/]+)(\/export)?$/);
    const file =
      match && connection.files.find((candidate) => candidate.id === decodeURIComponent(match[1]!));
    if (!file) return sendJson(res, 404, { error: { code: 404, message: "File not found" } });
    const exportAs = GOOGLE_EXPORTS[file.mimeType ?? ""];
    // As Drive does: Google's own formats are exported, never downloaded, and other files the reverse.
    if (
      match?.[2]
        ? url.searchParams.get("mimeType") !== exportAs
        : url.searchParams.get("alt") !== "media" || exportAs
    ) {
      return sendJson(res, 403, { error: { code: 403, message: "fileNotDownloadable or bad export type" } });
    }
    const bytes = await readCorpusFile(file.corpus);
    res.writeHead(200, { "content-type": exportAs ?? file.mimeType ?? "application/octet-stream" });
    res.end(bytes);
  }

  async function notionProxy(
    connection: FakeConnection,
    req: IncomingMessage,
    path: string,
    body: Buffer,
    res: ServerResponse,
  ) {
    if (!req.headers["nango-proxy-notion-version"]) {
      return sendJson(res, 400, {
        object: "error",
        code: "missing_version",
        message: "Notion-Version header failed validation",
      });
    }
    if (req.method === "POST" && path === "/v1/search") {
      const query = JSON.parse(body.toString() || "{}") as {
        start_cursor?: string;
        filter?: { value?: string };
      };
      if (query.filter?.value !== "page")
        return sendJson(res, 400, { object: "error", message: "filter pages" });
      const listed = page(connection.files, query.start_cursor ?? null);
      return sendJson(res, 200, {
        object: "list",
        results: listed.items.map((file) => ({
          object: "page",
          id: file.id,
          last_edited_time: file.revision,
          properties: { title: { id: "title", type: "title", title: [{ plain_text: file.name }] } },
        })),
        has_more: listed.next !== null,
        next_cursor: listed.next,
      });
    }
    const match = path.match(/^\/v1\/pages\/([^/]+)\/markdown$/);
    const file =
      match && connection.files.find((candidate) => candidate.id === decodeURIComponent(match[1]!));
    if (req.method !== "GET" || !file) {
      return sendJson(res, 404, {
        object: "error",
        code: "object_not_found",
        message: "Could not find page",
      });
    }
    const markdown = (await readCorpusFile(file.corpus)).toString("utf8");
    return sendJson(res, 200, {
      object: "page_markdown",
      id: file.id,
      markdown,
      truncated: false,
      unknown_block_ids: [],
    });
  }

  const server = await startFakeServer(async (req, body, res) => {
    const url = new URL(req.url ?? "/", "http://nango.test");
    if (req.method === "GET" && url.pathname === "/__log") return sendJson(res, 200, log);
    if (req.method === "POST" && url.pathname === "/__connections") {
      const input = JSON.parse(body.toString()) as Pick<
        FakeConnection,
        "provider_config_key" | "provider" | "tags"
      > & {
        connection_id?: string;
      };
      const connection: FakeConnection = {
        id: nextId++,
        connection_id: input.connection_id ?? crypto.randomUUID(),
        provider_config_key: input.provider_config_key,
        provider: input.provider,
        created: new Date().toISOString(),
        tags: input.tags ?? {},
        end_user: input.tags?.end_user_id
          ? {
              id: input.tags.end_user_id,
              organization: input.tags.organization_id ? { id: input.tags.organization_id } : null,
            }
          : null,
        files: [],
      };
      connections.set(connection.connection_id, connection);
      return sendJson(res, 201, connection);
    }
    const filesPath = url.pathname.match(/^\/__files\/([^/]+)$/);
    if (req.method === "PUT" && filesPath) {
      const connection = connections.get(decodeURIComponent(filesPath[1]!));
      if (!connection) return nangoError(res, 404, "unknown_connection", "No such connection");
      connection.files = JSON.parse(body.toString()) as FakeSourceFile[];
      return sendJson(res, 200, connection.files);
    }

    if (req.headers.authorization !== `Bearer ${SECRET_KEY}`) {
      return nangoError(res, 401, "unknown_account", "Authentication failed: the secret key is wrong");
    }
    log.push({
      method: req.method ?? "",
      path: `${url.pathname}${url.search}`,
      connectionId: (req.headers["connection-id"] as string | undefined) ?? null,
      body:
        body.length > 0 && req.headers["content-type"]?.includes("json") ? JSON.parse(body.toString()) : null,
    });

    if (url.pathname.startsWith("/proxy/")) return proxy(req, url, body, res);
    if (req.method === "POST" && url.pathname === "/connect/sessions") {
      const session = JSON.parse(body.toString()) as {
        end_user?: { id?: string };
        tags?: Record<string, string>;
      };
      if (!session.end_user?.id && !session.tags) {
        return nangoError(res, 400, "invalid_body", "end_user or tags is required");
      }
      return sendJson(res, 201, {
        data: {
          token: `nango_connect_session_${randomBytes(16).toString("hex")}`,
          connect_link: "https://connect.nango.test/?session_token=…",
          expires_at: new Date(Date.now() + 30 * 60_000).toISOString(),
        },
      });
    }
    if (req.method === "GET" && url.pathname === "/connections") {
      const id = url.searchParams.get("connectionId");
      const listed = [...connections.values()].filter((connection) => !id || connection.connection_id === id);
      return sendJson(res, 200, {
        connections: listed.map(({ files: _files, ...connection }) => ({
          ...connection,
          errors: [],
          metadata: null,
        })),
      });
    }
    const connectionPath = url.pathname.match(/^\/connections\/([^/]+)$/);
    if (req.method === "DELETE" && connectionPath) {
      const connection = connections.get(decodeURIComponent(connectionPath[1]!));
      if (!connection || connection.provider_config_key !== url.searchParams.get("provider_config_key")) {
        return nangoError(res, 404, "unknown_connection", "Connection not found");
      }
      connections.delete(connection.connection_id);
      res.writeHead(204).end();
      return;
    }
    nangoError(res, 404, "not_found", `Unknown route ${req.method} ${url.pathname}`);
  });

  return {
    server,
    fake: { url: server.url, secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET },
  };
}
