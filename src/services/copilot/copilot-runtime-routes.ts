// The routes of CopilotKit's runtime that the console's chat calls, shared by both Workers: the API
// forwards only these to the copilot Worker, which serves only these. CopilotKit 1.75's runtime
// also lists, reads, replays, subscribes to, renames, archives, deletes and clears threads, and
// serves suggestions, transcription, memories and its inspector; the console uses none of them,
// and its in-memory thread routes know no tenant. The chat sets no thread id, so it never
// connects to a thread either.

/** Where CopilotKit's client reaches the runtime, on both Workers. */
export const COPILOT_PATH = "/api/copilotkit";

/** Method and path (below COPILOT_PATH) of each route the console's CopilotKit chat calls. */
const COPILOT_RUNTIME_ROUTES: readonly { method: string; path: RegExp }[] = [
  // The runtime's description: its agents (the chat asks it first).
  { method: "GET", path: /^\/info$/ },
  // A run of the one agent, streamed back as AG-UI events.
  { method: "POST", path: /^\/agent\/default\/run$/ },
  // The chat's stop button, for a thread of the caller's own (the copilot keys threads by tenant and user).
  { method: "POST", path: /^\/agent\/default\/stop\/[^/]{1,200}$/ },
];

/**
 * Whether a request for `pathname` (the URL's path, as sent) is one of the runtime routes the
 * console calls. Exact matches only: the runtime itself matches a route by its last segments.
 */
export function isCopilotRuntimeRoute(method: string, pathname: string): boolean {
  if (!pathname.startsWith(`${COPILOT_PATH}/`)) return false;
  const path = pathname.slice(COPILOT_PATH.length);
  return COPILOT_RUNTIME_ROUTES.some((route) => route.method === method && route.path.test(path));
}
