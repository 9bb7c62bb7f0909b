import { useSuspenseQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";

/** The Worker's public settings (how to sign in, what is configured), read once at start. */
export function useConsoleConfig() {
  return useSuspenseQuery({
    queryKey: ["console-config"],
    queryFn: () => unwrap(api.GET("/api/v1/config")),
    staleTime: Number.POSITIVE_INFINITY,
  }).data;
}
