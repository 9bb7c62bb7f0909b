import type { UseQueryResult } from "@tanstack/react-query";
import type * as React from "react";
import { ProblemAlert } from "@/components/problem-alert";
import { Skeleton } from "@/components/ui/skeleton";

/**
 * A query's faces in one place: a skeleton while it loads, the failure with a retry, the empty
 * state when `isEmpty` says there is nothing, else `children` with the data.
 */
export function QueryState<T>({
  query,
  skeleton = "h-24",
  isEmpty,
  empty,
  retry = true,
  children,
}: {
  query: UseQueryResult<T>;
  /** The skeleton's classes (its height, mostly), or a skeleton of the page's own shape. */
  skeleton?: string | React.ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: React.ReactNode;
  /** Offer to try again after a failure. */
  retry?: boolean;
  children: (data: T) => React.ReactNode;
}) {
  if (query.isPending) return typeof skeleton === "string" ? <Skeleton className={skeleton} /> : skeleton;
  if (query.isError)
    return <ProblemAlert error={query.error} onRetry={retry ? () => query.refetch() : undefined} />;
  if (isEmpty?.(query.data) && empty !== undefined) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
