import { type Config, ConfigError } from "../../config";

// Endpoints' signing secrets are stored AES-GCM encrypted under WEBHOOK_SECRETS_KEY: a copy of the
// database alone does not let anyone sign events as Ancre.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const IV_BYTES = 12;
const keys = new Map<string, Promise<CryptoKey>>();

function keyOf(config: Config): Promise<CryptoKey> {
  const secret = config.webhooks.secretsKey;
  if (!secret) {
    throw new ConfigError([
      "WEBHOOK_SECRETS_KEY: required outside development and test to store webhook signing secrets (wrangler secret put WEBHOOK_SECRETS_KEY; 32 characters or more)",
    ]);
  }
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .digest("SHA-256", encoder.encode(secret))
      .then((raw) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    keys.set(secret, key);
  }
  return key;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

/** The secret encrypted with a fresh IV, as base64 of IV then ciphertext. */
export async function sealSecret(config: Config, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await keyOf(config), encoder.encode(secret)),
  );
  const out = new Uint8Array(IV_BYTES + sealed.length);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return toBase64(out);
}

/** The secret sealed by sealSecret. */
export async function openSecret(config: Config, sealed: string): Promise<string> {
  const bytes = fromBase64(sealed);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES) },
    await keyOf(config),
    bytes.slice(IV_BYTES),
  );
  return decoder.decode(plain);
}
