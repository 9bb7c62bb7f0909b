const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix =
  | "ten"
  | "mem"
  | "inv"
  | "key"
  | "col"
  | "ast"
  | "doc"
  | "cnv"
  | "msg"
  | "req"
  | "vis"
  | "syn"
  | "whe"
  | "whd"
  | "evt"
  | "aud";

const RANDOM_DIGITS = 16;
let lastTime = -1;
let lastRandom: number[] = [];

// Within one millisecond the random part of the previous id is incremented (as monotonic ULIDs
// do), so ids made one after another in an isolate always sort in the order they were made.
function nextRandom(time: number): number[] {
  if (time === lastTime) {
    const digits = [...lastRandom];
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === 31) digits[i--] = 0;
    if (i >= 0) digits[i]! += 1;
    lastRandom = digits;
  } else {
    lastTime = time;
    // The first digit stays below 16 so that increments cannot overflow in practice.
    lastRandom = [...crypto.getRandomValues(new Uint8Array(RANDOM_DIGITS))].map((byte, i) =>
      i === 0 ? byte & 15 : byte & 31,
    );
  }
  return lastRandom;
}

/**
 * A new opaque id: `<prefix>_` then 10 characters of millisecond time and 16 random ones,
 * in Crockford base32. Ids sort by creation time, which gives lists a stable order for free.
 */
export function newId(prefix: IdPrefix): string {
  const now = Date.now();
  let time = now;
  let head = "";
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const tail = nextRandom(now)
    .map((digit) => CROCKFORD[digit])
    .join("");
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
