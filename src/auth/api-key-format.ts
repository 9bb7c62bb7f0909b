import { randomSecret } from "../lib/ids";

/** API keys read `ak_` then 32 base32 characters (160 bits). */
export const API_KEY_PREFIX = "ak_";
const VISIBLE_LENGTH = 10;

export function generateApiKey(): { key: string; prefix: string } {
  const key = `${API_KEY_PREFIX}${randomSecret(20)}`;
  return { key, prefix: key.slice(0, VISIBLE_LENGTH) };
}

export const looksLikeApiKey = (token: string): boolean => token.startsWith(API_KEY_PREFIX);
