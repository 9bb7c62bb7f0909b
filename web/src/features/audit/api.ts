import { useInfiniteQuery } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/api/client";

export type AuditEvent = Schemas["AuditEvent"];

/** Query keys of this feature, built in one place. */
export const auditKeys = {
  all: ["audit-events"] as const,
};

/** The tenant's audit log, newest first, a page at a time ("Show more" fetches the next). */
export function useAuditEvents() {
  return useInfiniteQuery({
    queryKey: auditKeys.all,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/audit-events", {
          params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}
