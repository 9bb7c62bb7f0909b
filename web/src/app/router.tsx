import * as React from "react";
import { createBrowserRouter } from "react-router";
import { AuthGate } from "@/features/auth/auth-gate";
import { PlaceholderPage } from "@/features/placeholder/placeholder-page";
import { AppLayout } from "./layout";

/** The sign-in (or workspace picker) in front of every page; inside the router, so it can link. */
function SignedInLayout() {
  return (
    <React.Suspense fallback={null}>
      <AuthGate>
        <AppLayout />
      </AuthGate>
    </React.Suspense>
  );
}

// Each page is its own chunk, fetched on first visit: the first load carries only the frame.
// Pages still being built show a placeholder; replace one by
// `lazy: async () => ({ Component: (await import("@/features/<name>/<name>-page")).<Name>Page })`.
export const router = createBrowserRouter([
  {
    path: "/",
    Component: SignedInLayout,
    children: [
      {
        index: true,
        lazy: async () => ({ Component: (await import("@/features/overview/overview-page")).OverviewPage }),
      },
      {
        path: "collections",
        lazy: async () => ({
          Component: (await import("@/features/collections/collections-page")).CollectionsPage,
        }),
      },
      {
        path: "collections/:collectionId",
        lazy: async () => ({
          Component: (await import("@/features/collections/collection-page")).CollectionPage,
        }),
      },
      {
        path: "assistants",
        lazy: async () => ({
          Component: (await import("@/features/assistants/assistants-page")).AssistantsPage,
        }),
      },
      {
        path: "assistants/:assistantId/embed",
        lazy: async () => ({ Component: (await import("@/features/embed/embed-page")).EmbedPage }),
      },
      {
        path: "playground",
        lazy: async () => ({
          Component: (await import("@/features/playground/playground-page")).PlaygroundPage,
        }),
      },
      {
        path: "conversations",
        lazy: async () => ({
          Component: (await import("@/features/conversations/conversations-page")).ConversationsPage,
        }),
      },
      {
        path: "conversations/:assistantId/:conversationId",
        lazy: async () => ({
          Component: (await import("@/features/conversations/conversation-page")).ConversationPage,
        }),
      },
      {
        path: "search",
        lazy: async () => ({ Component: (await import("@/features/search/search-page")).SearchPage }),
      },
      {
        path: "unanswered",
        lazy: async () => ({
          Component: (await import("@/features/reports/unanswered-page")).UnansweredPage,
        }),
      },
      {
        path: "usage",
        lazy: async () => ({ Component: (await import("@/features/usage/usage-page")).UsagePage }),
      },
      {
        path: "billing",
        lazy: async () => ({ Component: (await import("@/features/billing/billing-page")).BillingPage }),
      },
      {
        path: "api-keys",
        lazy: async () => ({ Component: (await import("@/features/api-keys/api-keys-page")).ApiKeysPage }),
      },
      {
        path: "members",
        lazy: async () => ({ Component: (await import("@/features/members/members-page")).MembersPage }),
      },
      {
        path: "audit",
        lazy: async () => ({ Component: (await import("@/features/audit/components/audit-page")).AuditPage }),
      },
      {
        // An invitation's link (POST /invitations answers it as accept_url): the Members page lists
        // the invitations addressed to the signed-in person, with Accept.
        path: "invitations",
        lazy: async () => ({ Component: (await import("@/features/members/members-page")).MembersPage }),
      },
      {
        path: "integrations",
        lazy: async () => ({
          Component: (await import("@/features/integrations/integrations-page")).IntegrationsPage,
        }),
      },
      {
        path: "webhooks",
        lazy: async () => ({ Component: (await import("@/features/webhooks/webhooks-page")).WebhooksPage }),
      },
      { path: "*", element: <PlaceholderPage page="overview" /> },
    ],
  },
]);
