import { CircleAlertIcon } from "lucide-react";
import type * as React from "react";
import { cn } from "@/lib/utils";

/** A problem shown in place: a sentence and, when given, what to try. */
export function ErrorAlert({
  title,
  children,
  action,
  className,
}: {
  title: string;
  children?: React.ReactNode;
  action?: React.ReactNode;
  className?: string;
}) {
  return (
    <div
      role="alert"
      className={cn(
        "flex items-start gap-3 rounded-lg border border-destructive/30 bg-destructive/5 p-4 text-sm",
        className,
      )}
    >
      <CircleAlertIcon className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
      <div className="grid flex-1 gap-1">
        <p className="font-medium text-destructive">{title}</p>
        {children && <div className="text-muted-foreground">{children}</div>}
      </div>
      {action}
    </div>
  );
}
