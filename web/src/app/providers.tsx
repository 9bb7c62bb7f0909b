import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type * as React from "react";
import { ApiError } from "@/api/client";
import { Toaster } from "@/components/ui/toast";

/** Refusals (4xx) are answers, not accidents: they are not retried; network errors and 5xx are, twice. */
function shouldRetry(failureCount: number, error: unknown) {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 10_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}

export function AppProviders({ client, children }: { client: QueryClient; children: React.ReactNode }) {
  return (
    <QueryClientProvider client={client}>
      <Toaster>{children}</Toaster>
    </QueryClientProvider>
  );
}
