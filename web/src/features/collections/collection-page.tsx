import { ArrowLeftIcon, FileTextIcon, UploadCloudIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert } from "@/components/problem-alert";
import { QueryState } from "@/components/query-state";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { useCollection, useDocuments } from "./api";
import { DocumentTable } from "./components/document-table";
import { DropZone } from "./components/drop-zone";
import { UploadList } from "./components/upload-list";
import { useUploadQueue } from "./use-upload-queue";

export function CollectionPage() {
  const { collectionId = "" } = useParams();
  const { t } = useTranslation();
  const collection = useCollection(collectionId);
  const documents = useDocuments(collectionId);
  const uploads = useUploadQueue(collectionId);

  return (
    <>
      <Link
        to="/collections"
        className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeftIcon className="size-4" aria-hidden />
        {t("collections.back")}
      </Link>
      {collection.isError ? (
        <ProblemAlert error={collection.error} onRetry={() => collection.refetch()} />
      ) : (
        <PageHeader
          title={collection.data?.name ?? "…"}
          description={collection.data?.description ?? undefined}
          actions={
            <Button onClick={uploads.choose}>
              <UploadCloudIcon aria-hidden />
              {t("documents.uploadFiles")}
            </Button>
          }
        />
      )}
      <div className="grid grid-cols-1 gap-6">
        <DropZone onFiles={uploads.add} onChoose={uploads.choose} />
        {uploads.inputElement}
        {uploads.items.length > 0 && (
          <UploadList
            items={uploads.items}
            documents={documents.data?.data ?? []}
            onDismiss={uploads.dismiss}
            onClear={uploads.clearFinished}
          />
        )}
        <QueryState
          query={documents}
          skeleton="h-48"
          isEmpty={(page) => page.data.length === 0}
          empty={
            <EmptyState
              icon={<FileTextIcon />}
              title={t("documents.emptyTitle")}
              description={t("documents.emptyDescription")}
            />
          }
        >
          {(page) => <DocumentTable collectionId={collectionId} documents={page.data} />}
        </QueryState>
      </div>
    </>
  );
}
