const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix = "ten" | "mem" | "key" | "col" | "ast" | "doc" | "cnv" | "msg" | "req";

/**
 * A new opaque id: `<prefix>_` then 10 characters of millisecond time and 16 random ones,
 * in Crockford base32. Ids sort by creation time, which gives lists a stable order for free.
 */
export function newId(prefix: IdPrefix): string {
  let time = Date.now();
  let head = "";
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const random = crypto.getRandomValues(new Uint8Array(16));
  let tail = "";
  for (const byte of random) tail += CROCKFORD[byte & 31];
  return `${prefix}_${head}${tail}`;
}

/** Random URL-safe secret with `bytes` bytes of entropy, as lowercase base32. */
export function randomSecret(bytes: number): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of random) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
}
