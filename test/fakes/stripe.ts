import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { StripeFake } from "../provided-context";
import { type FakeServer, sendJson, startFakeServer } from "./http-server";

type Params = Record<string, unknown>;

/** A request the fake served, as tests read it back from `GET /__log`. */
export interface LoggedStripeRequest {
  method: string;
  path: string;
  /** The form-encoded body, decoded into nested objects as Stripe reads it. */
  params: Params;
  idempotencyKey: string | null;
}

const SECRET_KEY = "sk_test_ancre_fake_key";
const WEBHOOK_SECRET = "whsec_ancre_fake_secret";
const PRO_PRICE = "price_ancre_pro_monthly";

const stripeId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);

/**
 * Decodes Stripe's form encoding: `metadata[tenant_id]=…&line_items[0][price]=…` becomes
 * `{ metadata: { tenant_id }, line_items: [{ price }] }`.
 */
export function decodeStripeForm(body: string): Params {
  const root: Params = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const path = name.split(/\[|\]\[|\]/).filter((part) => part !== "");
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((key, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[i + 1]!);
      const slot = Array.isArray(node) ? Number(key) : key;
      const container = node as Record<string | number, unknown>;
      if (last) container[slot] = value;
      else {
        container[slot] ??= nextIsIndex ? [] : {};
        node = container[slot] as Record<string, unknown> | unknown[];
      }
    });
  }
  return root;
}

function stripeError(res: ServerResponse, status: number, message: string, extra: Params = {}) {
  sendJson(res, status, { error: { type: "invalid_request_error", message, ...extra } });
}

const missing = (res: ServerResponse, what: string, id: string, param: string) =>
  stripeError(res, 404, `No such ${what}: '${id}'`, { code: "resource_missing", param });

/**
 * A local stand-in for the Stripe REST endpoints Ancre's billing calls through the real SDK:
 * customers (create, retrieve, delete), subscriptions (listed by customer, retrieved, cancelled), Checkout Sessions and
 * Customer Portal sessions. Bodies are form-encoded as the SDK sends them; answers are
 * Stripe-shaped JSON; Idempotency-Key is honoured.
 */
export async function startStripeFake(): Promise<{ fake: StripeFake; server: FakeServer }> {
  const customers = new Map<string, Params>();
  // Subscriptions as Stripe holds them; tests set them through `POST /__subscriptions`.
  const subscriptions = new Map<string, Params>();
  const log: LoggedStripeRequest[] = [];
  const idempotent = new Map<string, { status: number; body: unknown }>();

  const server = await startFakeServer((req, body, res) => {
    const url = new URL(req.url ?? "/", "http://stripe.test");
    if (req.method === "GET" && url.pathname === "/__log") return sendJson(res, 200, log);
    if (req.method === "POST" && url.pathname === "/__subscriptions") {
      const subscription = JSON.parse(body.toString()) as Params;
      subscriptions.set(String(subscription.id), subscription);
      return sendJson(res, 200, subscription);
    }

    if (req.headers.authorization !== `Bearer ${SECRET_KEY}`) {
      return stripeError(res, 401, "Invalid API Key provided");
    }
    const params = decodeStripeForm(req.method === "GET" ? url.search.slice(1) : body.toString());
    const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
    log.push({ method: req.method ?? "", path: url.pathname, params, idempotencyKey });

    const replayKey = idempotencyKey && `${req.method} ${url.pathname} ${idempotencyKey}`;
    const replay = replayKey ? idempotent.get(replayKey) : undefined;
    if (replay) return sendJson(res, replay.status, replay.body);
    const reply = (status: number, answer: unknown) => {
      if (replayKey) idempotent.set(replayKey, { status, body: answer });
      sendJson(res, status, answer);
    };

    const customerPath = url.pathname.match(/^\/v1\/customers\/([^/]+)$/);
    if (req.method === "POST" && url.pathname === "/v1/customers") {
      const customer = {
        id: stripeId("cus"),
        object: "customer",
        created: now(),
        email: params.email ?? null,
        livemode: false,
        metadata: params.metadata ?? {},
        name: params.name ?? null,
      };
      customers.set(customer.id, customer);
      return reply(200, customer);
    }
    if (customerPath && (req.method === "GET" || req.method === "DELETE")) {
      const id = decodeURIComponent(customerPath[1]!);
      const customer = customers.get(id);
      if (!customer) return missing(res, "customer", id, "id");
      if (req.method === "DELETE") customers.set(id, { id, object: "customer", deleted: true });
      return reply(200, customers.get(id));
    }
    if (req.method === "GET" && url.pathname === "/v1/subscriptions") {
      // Newest first, as Stripe lists them; `status=all` includes canceled ones.
      const limit = Number(params.limit ?? 10);
      const matching = [...subscriptions.values()]
        .reverse()
        .filter((s) => s.customer === params.customer)
        .filter((s) => params.status === "all" || s.status !== "canceled")
        .sort((a, b) => Number(b.created ?? 0) - Number(a.created ?? 0));
      return reply(200, {
        object: "list",
        data: matching.slice(0, limit),
        has_more: matching.length > limit,
        url: "/v1/subscriptions",
      });
    }
    const subscriptionPath = url.pathname.match(/^\/v1\/subscriptions\/([^/]+)$/);
    if (subscriptionPath && (req.method === "GET" || req.method === "DELETE")) {
      const id = decodeURIComponent(subscriptionPath[1]!);
      const subscription = subscriptions.get(id);
      if (!subscription) return missing(res, "subscription", id, "id");
      if (req.method === "DELETE") {
        // As Stripe does: a subscription that has ended cannot be cancelled again.
        if (subscription.status === "canceled") {
          return stripeError(res, 400, "A canceled subscription can only update its cancellation_details");
        }
        subscriptions.set(id, { ...subscription, status: "canceled", canceled_at: now(), ended_at: now() });
      }
      return reply(200, subscriptions.get(id));
    }
    if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      const lineItems = (params.line_items ?? []) as Params[];
      if (params.mode !== "subscription")
        return stripeError(res, 400, "Missing or invalid mode", { param: "mode" });
      if (typeof params.success_url !== "string") {
        return stripeError(res, 400, "Missing required param: success_url.", { param: "success_url" });
      }
      if (lineItems.length !== 1 || lineItems[0]!.price !== PRO_PRICE) {
        return missing(res, "price", String(lineItems[0]?.price), "line_items[0][price]");
      }
      const customer = String(params.customer ?? "");
      const known = customers.get(customer);
      if (!known || known.deleted) return missing(res, "customer", customer, "customer");
      const id = stripeId("cs_test");
      return reply(200, {
        id,
        object: "checkout.session",
        client_reference_id: params.client_reference_id ?? null,
        created: now(),
        customer,
        expires_at: now() + 86_400,
        livemode: false,
        metadata: params.metadata ?? {},
        mode: "subscription",
        payment_status: "unpaid",
        status: "open",
        subscription: null,
        success_url: params.success_url,
        cancel_url: params.cancel_url ?? null,
        url: `https://checkout.stripe.test/c/pay/${id}`,
      });
    }
    if (req.method === "POST" && url.pathname === "/v1/billing_portal/sessions") {
      const customer = String(params.customer ?? "");
      const known = customers.get(customer);
      if (!known || known.deleted) return missing(res, "customer", customer, "customer");
      const id = stripeId("bps");
      return reply(200, {
        id,
        object: "billing_portal.session",
        created: now(),
        customer,
        livemode: false,
        return_url: params.return_url ?? null,
        url: `https://billing.stripe.test/p/session/${id}`,
      });
    }
    stripeError(res, 404, `Unrecognized request URL (${req.method}: ${url.pathname})`);
  });

  return {
    server,
    fake: {
      apiBase: server.url,
      logUrl: `${server.url}/__log`,
      subscriptionsUrl: `${server.url}/__subscriptions`,
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      priceIdPro: PRO_PRICE,
    },
  };
}
