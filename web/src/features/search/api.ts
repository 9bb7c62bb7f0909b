import { queryOptions, useMutation } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/api/client";

/** Query keys of this feature, built in one place. */
export const searchKeys = { collections: ["collections", "all"] as const };

/** The collections a search may be narrowed to. */
export const collectionChoicesQuery = () =>
  queryOptions({
    queryKey: searchKeys.collections,
    queryFn: () => unwrap(api.GET("/api/v1/collections", { params: { query: { limit: 100 } } })),
  });

export const useSearch = () =>
  useMutation({
    mutationFn: (body: Schemas["SearchRequest"]) => unwrap(api.POST("/api/v1/search", { body })),
  });
