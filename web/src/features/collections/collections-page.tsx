import { FolderOpenIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "@/components/page-header";
import { QueryState } from "@/components/query-state";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useCollections } from "./api";
import { CollectionCard } from "./components/collection-card";
import { NewCollectionButton } from "./components/new-collection-button";

export function CollectionsPage() {
  const { t } = useTranslation();
  const collections = useCollections();
  return (
    <>
      <PageHeader
        title={t("nav.collections")}
        description={t("collections.description")}
        actions={<NewCollectionButton />}
      />
      <QueryState
        query={collections}
        skeleton={
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            <Skeleton className="h-32" />
            <Skeleton className="h-32" />
            <Skeleton className="h-32" />
          </div>
        }
        isEmpty={(page) => page.data.length === 0}
        empty={
          <EmptyState
            icon={<FolderOpenIcon />}
            title={t("collections.emptyTitle")}
            description={t("collections.emptyDescription")}
            action={<NewCollectionButton />}
          />
        }
      >
        {(page) => (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {page.data.map((collection) => (
              <li key={collection.id}>
                <CollectionCard collection={collection} />
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </>
  );
}
