import * as React from "react";
import { useTranslation } from "react-i18next";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { previewPath, type WidgetDraft } from "../widget-draft";

/** How long the form must rest before the preview reloads with its settings. */
const SETTLE_MS = 400;

/**
 * The real widget (/widget/v1.js in preview mode) in a frame served by the Worker, with the
 * settings as edited: it reloads once typing pauses.
 */
export function WidgetPreview({ draft }: { draft: WidgetDraft }) {
  const { t } = useTranslation();
  const wanted = previewPath(draft);
  const [shown, setShown] = React.useState(wanted);
  React.useEffect(() => {
    const timer = setTimeout(() => setShown(wanted), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [wanted]);
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("embed.previewTitle")}</CardTitle>
        <CardDescription>{t("embed.previewDescription")}</CardDescription>
      </CardHeader>
      <CardContent>
        <iframe
          title={t("embed.previewFrame")}
          src={shown}
          className="h-[600px] w-full rounded-md border bg-muted"
        />
      </CardContent>
    </Card>
  );
}
