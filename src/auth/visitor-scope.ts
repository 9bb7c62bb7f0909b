// The only requests a widget visitor token may make: chatting with its own assistant, reading
// its own conversations and rating their answers. Everything else is refused, whatever routes are added later.

const CHAT_PATHS: readonly { method: string; pattern: RegExp }[] = [
  { method: "POST", pattern: /^\/api\/v1\/chat\/([^/]+)$/ },
  { method: "POST", pattern: /^\/api\/v1\/chat\/([^/]+)\/stream$/ },
  { method: "GET", pattern: /^\/api\/v1\/chat\/([^/]+)\/conversations$/ },
  { method: "GET", pattern: /^\/api\/v1\/chat\/([^/]+)\/conversations\/[^/]+$/ },
  { method: "GET", pattern: /^\/api\/v1\/chat\/([^/]+)\/conversations\/[^/]+\/stream$/ },
  { method: "PUT", pattern: /^\/api\/v1\/chat\/([^/]+)\/conversations\/[^/]+\/messages\/[^/]+\/feedback$/ },
  {
    method: "DELETE",
    pattern: /^\/api\/v1\/chat\/([^/]+)\/conversations\/[^/]+\/messages\/[^/]+\/feedback$/,
  },
];

/** The assistant id in a path a visitor may call with `method` (any method when omitted), or null. */
export function visitorRouteAssistant(path: string, method?: string): string | null {
  for (const route of CHAT_PATHS) {
    if (method !== undefined && route.method !== method) continue;
    const match = route.pattern.exec(path);
    // Compared undecoded: an encoded id never equals a real one, so it is refused, never let through.
    if (match) return match[1]!;
  }
  return null;
}

/**
 * Whether a visitor bound to `assistantId` may make this request: `allowed`, `other_assistant`
 * (a route it may use, but for another assistant), or `forbidden`.
 */
export function visitorAccess(
  method: string,
  path: string,
  assistantId: string,
): "allowed" | "other_assistant" | "forbidden" {
  const target = visitorRouteAssistant(path, method);
  if (target === null) return "forbidden";
  return target === assistantId ? "allowed" : "other_assistant";
}
