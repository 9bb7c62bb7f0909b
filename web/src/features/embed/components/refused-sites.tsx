import { CheckIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useAllowOrigin, type Widget } from "../api";

/** Sites whose pages were refused the widget lately, each allowed in one click. */
export function RefusedSites({
  assistantId,
  widget,
  onAllowed,
}: {
  assistantId: string;
  widget: Widget;
  /** The site was added to the saved settings: the form adds it to its rows too. */
  onAllowed: (origin: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const allow = useAllowOrigin(assistantId);
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("embed.refusedTitle")}</CardTitle>
        <CardDescription>{t("embed.refusedDescription")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {widget.refused_origins.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t("embed.refusedNone")}</p>
        ) : (
          <ul className="grid gap-2">
            {widget.refused_origins.map(({ origin, last_seen_at }) => (
              <li
                key={origin}
                className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-2 text-sm"
              >
                <span className="min-w-0">
                  <span className="block break-all font-medium">{origin}</span>
                  <span className="text-xs text-muted-foreground">
                    {t("embed.refusedLastSeen", { date: when.format(new Date(last_seen_at)) })}
                  </span>
                </span>
                <Button
                  size="sm"
                  variant="outline"
                  disabled={allow.isPending}
                  aria-label={t("embed.allowNamed", { origin })}
                  onClick={() => allow.mutate(origin, { onSuccess: () => onAllowed(origin) })}
                >
                  <CheckIcon aria-hidden />
                  {t("embed.allow")}
                </Button>
              </li>
            ))}
          </ul>
        )}
        {allow.isError && <ProblemAlert error={allow.error} />}
      </CardContent>
    </Card>
  );
}
