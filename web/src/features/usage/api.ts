import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";

/** Query keys of this feature, built in one place. */
export const usageKeys = { current: ["usage"] as const, history: ["usage", "history"] as const };

export const usageQuery = () =>
  queryOptions({ queryKey: usageKeys.current, queryFn: () => unwrap(api.GET("/api/v1/usage")) });

/** Each day's usage over the period, for the chart. */
export const usageHistoryQuery = () =>
  queryOptions({
    queryKey: usageKeys.history,
    queryFn: () => unwrap(api.GET("/api/v1/usage/history", { params: { query: { granularity: "day" } } })),
  });
