import type { JWK } from "jose";

/** What the local Clerk stand-in offers tests (see fakes/clerk-jwks.ts). */
export interface ClerkFake {
  /** The JWKS endpoint, as Clerk serves it at `/.well-known/jwks.json`. */
  jwksUrl: string;
  /** Test-only: POST a public JWK here to start serving it (key rotation). */
  rotateUrl: string;
  /** Test-only: GET how many times the JWKS was fetched. */
  statsUrl: string;
  issuer: string;
  /** CLERK_API_URL: serves the Backend API's `POST /v1/invitations`. */
  apiUrl: string;
  /** CLERK_SECRET_KEY: the only one the Backend API accepts. */
  secretKey: string;
  /** Test-only: GET the invitation requests received, oldest first. */
  invitationsLogUrl: string;
  /** Private keys for signing test tokens. `served` is in the JWKS from the start, `rotated` only after rotation. */
  keys: { served: JWK; rotated: JWK; stranger: JWK };
}

/** What the local OpenAI stand-in offers tests (see fakes/openai.ts). */
export interface OpenAiFake {
  /** Pass as the SDK's baseURL (OPENAI_BASE_URL): serves `POST /embeddings`. */
  baseUrl: string;
  /** Test-only: POST `{ key, failures: [{ status, retryAfterMs? }] }` to fail the next requests made with that API key. */
  scriptUrl: string;
  /** Test-only: GET `?key=` lists the embeddings requests made with that API key. */
  requestsUrl: string;
}

/** What the local Stripe stand-in offers tests (see fakes/stripe.ts). */
export interface StripeFake {
  /** STRIPE_API_BASE: serves customers, subscriptions, checkout sessions and billing portal sessions under `/v1`. */
  apiBase: string;
  /** Test-only: GET the requests served, with their form bodies decoded. */
  logUrl: string;
  /** Test-only: POST a subscription object (JSON) to make it Stripe's state of that subscription. */
  subscriptionsUrl: string;
  /** The only secret key it accepts (STRIPE_SECRET_KEY). */
  secretKey: string;
  /** STRIPE_WEBHOOK_SECRET: tests sign webhook payloads with it. */
  webhookSecret: string;
  /** STRIPE_PRICE_PRO: the only price it knows. */
  priceIdPro: string;
}

// Values the global setup (Node) hands to tests (workerd) with provide/inject.
declare module "vitest" {
  export interface ProvidedContext {
    clerk: ClerkFake;
    /** Serves `../shared/corpus` read-only, so tests inside workerd can read the real documents. */
    corpusUrl: string;
    /** Serves `../shared/original`, the original product's French READMEs. */
    originalUrl: string;
    openai: OpenAiFake;
    /** A fake Qdrant REST server (see fakes/qdrant.ts); `GET /__log/<collection>` lists the requests it got. */
    qdrantUrl: string;
    /** Base URL (with `/v1`) of the fake Chat Completions API (see fakes/openai-chat.ts); the model picks its behaviour. */
    openaiChatUrl: string;
    stripe: StripeFake;
    /** A tenant's webhook receiver (see fakes/webhook-receiver.ts): `/hooks/<name>` endpoints, scriptable. */
    webhookReceiverUrl: string;
  }
}
