import { ConstructionIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { en } from "@/i18n/en";

/** Stands in for a page still being built (Assistants, Playground, Search, Usage, Billing, API keys, Members). */
export function PlaceholderPage({ page }: { page: keyof typeof en.nav }) {
  const { t } = useTranslation();
  const title = t(`nav.${page}`);
  return (
    <>
      <PageHeader title={title} />
      <EmptyState
        icon={<ConstructionIcon />}
        title={t("placeholder.title", { page: title })}
        description={t("placeholder.description")}
        action={
          <Button variant="outline" asChild>
            <a href="/docs">{t("nav.docs")}</a>
          </Button>
        }
      />
    </>
  );
}
