import { BotIcon, FolderPlusIcon, UploadCloudIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

/** The three first steps, for a workspace without documents. */
export function GettingStarted() {
  const { t } = useTranslation();
  const steps = [
    {
      icon: FolderPlusIcon,
      title: t("overview.stepCollection"),
      hint: t("overview.stepCollectionHint"),
      to: "/collections",
    },
    {
      icon: UploadCloudIcon,
      title: t("overview.stepUpload"),
      hint: t("overview.stepUploadHint"),
      to: "/collections",
    },
    {
      icon: BotIcon,
      title: t("overview.stepAssistant"),
      hint: t("overview.stepAssistantHint"),
      to: "/assistants",
    },
  ];
  return (
    <Card className="mb-6 border-primary/20 bg-gradient-to-br from-primary/5 to-transparent">
      <CardHeader>
        <CardTitle className="text-base">{t("overview.gettingStartedTitle")}</CardTitle>
      </CardHeader>
      <CardContent>
        <ol className="grid gap-3 sm:grid-cols-3">
          {steps.map((step, index) => (
            <li key={step.title}>
              <Link
                to={step.to}
                className="flex h-full gap-3 rounded-lg border bg-card p-4 transition-colors hover:border-primary/50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
              >
                <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-primary text-sm font-semibold text-primary-foreground">
                  {index + 1}
                </span>
                <span className="grid gap-0.5">
                  <span className="flex items-center gap-1.5 text-sm font-medium">
                    <step.icon className="size-4 text-primary" aria-hidden />
                    {step.title}
                  </span>
                  <span className="text-xs text-muted-foreground">{step.hint}</span>
                </span>
              </Link>
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}
