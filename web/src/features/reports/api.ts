import { queryOptions } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/api/client";

export type UnansweredReport = Schemas["UnansweredReport"];
export type UnansweredGroup = Schemas["UnansweredGroup"];

/** Query keys of this feature, built in one place. */
export const reportKeys = {
  assistants: ["assistants"] as const,
  unanswered: (filter: { assistantId: string | null; days: number }) =>
    ["reports", "unanswered", filter] as const,
};

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** The report of unanswered questions over the last `days` days (today included), for one assistant or all. */
export const unansweredQuery = (filter: { assistantId: string | null; days: number }) =>
  queryOptions({
    queryKey: reportKeys.unanswered(filter),
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - (filter.days - 1) * 86_400_000);
      return unwrap(
        api.GET("/api/v1/reports/unanswered", {
          params: {
            query: {
              from: utcDay(from),
              to: utcDay(to),
              ...(filter.assistantId ? { assistant_id: filter.assistantId } : {}),
            },
          },
        }),
      );
    },
  });

export const assistantChoicesQuery = () =>
  queryOptions({
    queryKey: reportKeys.assistants,
    queryFn: () => unwrap(api.GET("/api/v1/assistants", { params: { query: { limit: 100 } } })),
  });
