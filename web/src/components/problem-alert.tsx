import { QueryClientContext } from "@tanstack/react-query";
import { ArrowUpRightIcon, RotateCwIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { describeProblem, type ProblemAudience } from "@/api/problems";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { TenantContext } from "@/features/auth/tenant-context";

/** Owners and admins of the workspace read what the server says about its settings; members do not. */
export function useProblemAudience(): ProblemAudience {
  const role = React.useContext(TenantContext)?.tenant.role;
  const admin = role === "owner" || role === "admin";
  // Read at start by the sign-in (features/auth/config.ts); unknown before that.
  // (The context, not useQueryClient: components shown outside a QueryClientProvider get undefined.)
  const billing = React.useContext(QueryClientContext)?.getQueryData<{ billing_configured: boolean }>([
    "console-config",
  ])?.billing_configured;
  return React.useMemo(() => ({ admin, billing }), [admin, billing]);
}

/** An API failure in place, as a sentence, with the way out (retry, upgrade) when there is one. */
export function ProblemAlert({
  error,
  onRetry,
  className,
}: {
  error: unknown;
  onRetry?: () => void;
  className?: string;
}) {
  const { t, i18n } = useTranslation();
  const message = describeProblem(error, t, i18n.language, useProblemAudience());
  return (
    <ErrorAlert
      className={className}
      title={message.sentence}
      action={
        onRetry ? (
          <Button variant="outline" size="sm" onClick={onRetry}>
            <RotateCwIcon aria-hidden />
            {t("common.retry")}
          </Button>
        ) : undefined
      }
    >
      {message.hint && (
        <span>
          {message.hint}{" "}
          {message.upgrade && (
            <Link
              to="/billing"
              className="inline-flex items-center gap-0.5 font-medium text-primary hover:underline"
            >
              {t("nav.billing")}
              <ArrowUpRightIcon className="size-3" aria-hidden />
            </Link>
          )}
        </span>
      )}
    </ErrorAlert>
  );
}

/** Shows a failed action's problem as a toast: for mutations whose form is gone (a menu, a row). */
export function useProblemToast() {
  const { t, i18n } = useTranslation();
  const notify = useToast();
  const audience = useProblemAudience();
  return React.useCallback(
    (error: unknown) => {
      const message = describeProblem(error, t, i18n.language, audience);
      notify({ tone: "error", title: message.sentence, description: message.hint });
    },
    [notify, t, i18n.language, audience],
  );
}
