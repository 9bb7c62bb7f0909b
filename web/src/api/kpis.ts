import { queryOptions } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "./client";

export type TenantKpis = Schemas["TenantKpis"];
export type MetricFigure = Schemas["MetricFigure"];

/** The tenant's summary (`GET /kpis`): the Overview and the copilot panel share its cache. */
export const kpisQuery = () =>
  queryOptions({
    queryKey: ["kpis"] as const,
    queryFn: () => unwrap(api.GET("/api/v1/kpis")),
  });
