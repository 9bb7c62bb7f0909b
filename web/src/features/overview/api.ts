import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";

/** Query keys of the Overview's own reads (the summary is `kpisQuery`, shared with the copilot panel). */
export const overviewKeys = {
  assistants: ["assistants", { limit: 100 }] as const,
};

/** The tenant's assistants, to name those the summary's busiest list leaves out (nobody asked them). */
export const assistantNamesQuery = () =>
  queryOptions({
    queryKey: overviewKeys.assistants,
    queryFn: () => unwrap(api.GET("/api/v1/assistants", { params: { query: { limit: 100 } } })),
  });
