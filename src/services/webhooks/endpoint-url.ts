import { AppError } from "../../errors";

export const MAX_ENDPOINT_URL_LENGTH = 2048;

// Hosts that name the machine or its network rather than a receiver on the internet.
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|home\.arpa)$/;

function isPrivateIpv4(host: string): boolean {
  const parts = host.split(".").map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    return false;
  }
  const [a, b] = parts as [number, number, number, number];
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast and reserved
  );
}

function isPrivateIpv6(host: string): boolean {
  const address = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (!address.includes(":")) return false;
  if (address === "::" || address === "::1") return true;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1, or its hex form) is judged as IPv4.
  const mapped = /^::ffff:(.+)$/.exec(address)?.[1];
  if (mapped) {
    if (mapped.includes(".")) return isPrivateIpv4(mapped);
    const [high = 0, low = 0] = mapped.split(":").map((group) => Number.parseInt(group, 16));
    return isPrivateIpv4([high >> 8, high & 255, low >> 8, low & 255].join("."));
  }
  return /^f[cd]/.test(address) || /^fe[89ab]/.test(address) || /^ff/.test(address);
}

/** Whether a URL's host is the machine itself or a private, link-local or reserved address. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return LOCAL_NAMES.test(host) || isPrivateIpv4(host) || isPrivateIpv6(host);
}

const invalidUrl = (message: string) =>
  new AppError("validation_failed", `The endpoint URL is not accepted: ${message}`, {
    errors: [{ field: "json.url", message }],
  });

/**
 * Checks where Ancre may send webhooks: https to a public host. Where local URLs are allowed
 * (development and test), also http and https to the machine or a private network. Hosts are
 * judged as written: a public name that resolves to a private address is not caught here (a
 * deployed Worker's fetch reaches only the public internet).
 */
export function checkEndpointUrl(raw: string, allowLocal: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidUrl("not an absolute URL");
  }
  if (url.username || url.password) throw invalidUrl("credentials in the URL are not allowed");
  const local = isLocalHost(url.hostname);
  if (local && !allowLocal) {
    throw invalidUrl("loopback, private and link-local addresses cannot receive webhooks");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local && allowLocal)) {
    throw invalidUrl("use https (plain http is allowed only to localhost in development)");
  }
  return url.toString();
}
