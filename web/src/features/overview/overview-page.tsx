import { useTranslation } from "react-i18next";
import { PageHeader } from "@/components/page-header";

export function OverviewPage() {
  const { t } = useTranslation();
  return <PageHeader title={t("nav.overview")} />;
}
