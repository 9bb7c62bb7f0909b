import type { Config } from "../../config";
import { AppError } from "../../errors";

// Nango's HTTP API with fetch rather than @nangohq/node: the five calls Ancre makes are a few
// lines each, while the SDK brings axios (+36 KB gzipped) for the same requests. Tests fake the
// same HTTP endpoints either way.

export type NangoConfig = NonNullable<Config["nango"]>;

/** A connection as Nango lists it (the fields Ancre reads). */
export interface NangoConnection {
  connection_id: string;
  provider_config_key: string;
  provider: string;
  end_user?: { id: string; organization?: { id: string } | null } | null;
  tags?: Record<string, string> | null;
}

/** Raised when Nango (or the provider behind its proxy) answers an error; `status` is its HTTP status. */
export class NangoError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "NangoError";
  }

  /** Worth trying again later: Nango or the provider is unavailable or rate limiting. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** What a connection's files are reached through: Nango's proxy, with the provider's own API paths. */
export interface ProxyTarget {
  integrationId: string;
  connectionId: string;
}

export class NangoClient {
  constructor(private readonly config: NangoConfig) {}

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${this.config.secretKey}`);
    if (init.body) headers.set("content-type", "application/json");
    let response: Response;
    try {
      response = await fetch(`${this.config.url}${path}`, { ...init, headers });
    } catch (error) {
      throw new NangoError(0, `Nango could not be reached: ${String(error)}`);
    }
    if (!response.ok) {
      const text = (await response.text()).slice(0, 300);
      throw new NangoError(response.status, `Nango answered ${response.status} to ${path}: ${text}`);
    }
    return response;
  }

  /** A Connect UI session for one end user of one organisation, limited to `integrations`. */
  async createConnectSession(input: {
    endUserId: string;
    organizationId: string;
    integrations: string[];
  }): Promise<{ token: string; expires_at: string; connect_link?: string }> {
    const body = {
      end_user: { id: input.endUserId },
      organization: { id: input.organizationId },
      // Tags are how current Nango versions attribute a connection; end_user and organization
      // are what older self-hosted ones read. Both name the same people.
      tags: { end_user_id: input.endUserId, organization_id: input.organizationId },
      allowed_integrations: input.integrations,
    };
    const response = await this.call("/connect/sessions", { method: "POST", body: JSON.stringify(body) });
    return ((await response.json()) as { data: { token: string; expires_at: string; connect_link?: string } })
      .data;
  }

  /** The connection with this id, if Nango has it under this integration. */
  async findConnection(target: ProxyTarget): Promise<NangoConnection | undefined> {
    const query = new URLSearchParams({ connectionId: target.connectionId });
    const response = await this.call(`/connections?${query}`);
    const { connections } = (await response.json()) as { connections: NangoConnection[] };
    return connections.find(
      (connection) =>
        connection.connection_id === target.connectionId &&
        connection.provider_config_key === target.integrationId,
    );
  }

  /** Deletes the connection in Nango; one Nango no longer has counts as deleted. */
  async deleteConnection(target: ProxyTarget): Promise<void> {
    const query = new URLSearchParams({ provider_config_key: target.integrationId });
    try {
      await this.call(`/connections/${encodeURIComponent(target.connectionId)}?${query}`, {
        method: "DELETE",
      });
    } catch (error) {
      if (!(error instanceof NangoError && error.status === 404)) throw error;
    }
  }

  /** A request to the provider's API through Nango's proxy, which adds the connection's credentials. */
  proxy(target: ProxyTarget, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("connection-id", target.connectionId);
    headers.set("provider-config-key", target.integrationId);
    return this.call(`/proxy${path}`, { ...init, headers });
  }
}

export function requireNango(config: Config): NangoConfig {
  if (!config.nango) {
    throw new AppError(
      "not_configured",
      "Nango is not configured: set NANGO_URL and NANGO_SECRET_KEY (see the README, Connectors (Nango))",
    );
  }
  return config.nango;
}

const encoder = new TextEncoder();

/**
 * Whether `signature` is the hex HMAC-SHA256 of the raw body under the webhook secret, as Nango
 * signs webhooks in `X-Nango-Hmac-Sha256` (and its SDK's verifyIncomingWebhookRequest checks).
 */
export async function isNangoSignatureValid(
  secret: string,
  rawBody: Uint8Array,
  signature: string | undefined,
): Promise<boolean> {
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const bytes = new Uint8Array(signature.match(/../g)!.map((pair) => Number.parseInt(pair, 16)));
  // subtle.verify compares in constant time.
  return crypto.subtle.verify("HMAC", key, bytes, rawBody);
}
