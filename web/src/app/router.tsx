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
      { path: "assistants", element: <PlaceholderPage page="assistants" /> },
      { path: "playground", element: <PlaceholderPage page="playground" /> },
      { path: "search", element: <PlaceholderPage page="search" /> },
      { path: "usage", element: <PlaceholderPage page="usage" /> },
      { path: "billing", element: <PlaceholderPage page="billing" /> },
      { path: "api-keys", element: <PlaceholderPage page="apiKeys" /> },
      { path: "members", element: <PlaceholderPage page="members" /> },
      { path: "*", element: <PlaceholderPage page="overview" /> },
    ],
  },
]);
