/**
 * The console's pages (web/src/app/router.tsx), as Hono paths: only these get the console's
 * index.html; any other path the assets do not hold is a 404 problem. web/src/app/router.test.ts
 * keeps this list and the router's equal.
 */
export const CONSOLE_PAGE_PATHS = [
  "/",
  "/collections",
  "/collections/:collectionId",
  "/assistants",
  "/assistants/:assistantId/embed",
  "/playground",
  "/conversations",
  "/conversations/:assistantId/:conversationId",
  "/search",
  "/unanswered",
  "/usage",
  "/billing",
  "/api-keys",
  "/members",
  "/audit",
  "/invitations",
  "/integrations",
  "/webhooks",
] as const;
