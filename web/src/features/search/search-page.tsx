import { useQuery } from "@tanstack/react-query";
import { FileTextIcon, SearchIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "@/api/client";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { SourceDialog } from "@/features/sources/source-dialog";
import { unitOfFilename } from "@/features/sources/units";
import { collectionChoicesQuery, useSearch } from "./api";

type Mode = "hybrid" | "keyword" | "vector";
const modes: Mode[] = ["hybrid", "keyword", "vector"];

export function SearchPage() {
  const { t } = useTranslation();
  const [query, setQuery] = React.useState("");
  const [mode, setMode] = React.useState<Mode>("hybrid");
  const [collectionId, setCollectionId] = React.useState("");
  const collections = useQuery(collectionChoicesQuery());
  const search = useSearch();
  const run = () =>
    search.mutate({ query, mode, top_k: 10, ...(collectionId ? { collection_ids: [collectionId] } : {}) });
  return (
    <>
      <PageHeader title={t("nav.search")} description={t("search.description")} />
      <search className="mb-6 block">
        <form
          className="grid gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (query.trim()) run();
          }}
        >
          <div className="flex flex-col gap-2 sm:flex-row">
            <Input
              aria-label={t("search.query")}
              placeholder={t("search.placeholder")}
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              className="h-10"
            />
            <Button type="submit" className="h-10" disabled={!query.trim() || search.isPending}>
              <SearchIcon aria-hidden />
              {t("search.submit")}
            </Button>
          </div>
          <div className="flex flex-wrap items-center gap-4">
            <fieldset className="flex items-center gap-1 rounded-lg border bg-card p-1">
              <legend className="sr-only">{t("search.mode")}</legend>
              {modes.map((option) => (
                <label
                  key={option}
                  className="cursor-pointer rounded-md px-3 py-1 text-sm has-[:checked]:bg-primary has-[:checked]:text-primary-foreground has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring"
                  title={t(`search.modes.${option}Help`)}
                >
                  <input
                    type="radio"
                    name="mode"
                    value={option}
                    checked={mode === option}
                    onChange={() => setMode(option)}
                    className="sr-only"
                  />
                  {t(`search.modes.${option}`)}
                </label>
              ))}
            </fieldset>
            <label className="flex items-center gap-2 text-sm">
              <span className="text-muted-foreground">{t("search.collection")}</span>
              <select
                className="h-9 max-w-48 rounded-md border border-input bg-card px-2 text-sm"
                value={collectionId}
                onChange={(event) => setCollectionId(event.target.value)}
              >
                <option value="">{t("search.allCollections")}</option>
                {collections.data?.data.map((collection) => (
                  <option key={collection.id} value={collection.id}>
                    {collection.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </form>
      </search>
      {search.isPending ? (
        <div className="grid gap-3">
          <Skeleton className="h-24" />
          <Skeleton className="h-24" />
        </div>
      ) : search.isError ? (
        <ProblemAlert error={search.error} />
      ) : search.data ? (
        search.data.results.length === 0 ? (
          <EmptyState
            icon={<SearchIcon />}
            title={t("search.noResults")}
            description={t("search.noResultsDescription")}
          />
        ) : (
          <ol className="grid gap-3" aria-label={t("search.results")}>
            {search.data.results.map((result, rank) => (
              <li key={result.chunk_id}>
                <SearchResult result={result} rank={rank + 1} />
              </li>
            ))}
          </ol>
        )
      ) : (
        <EmptyState
          icon={<SearchIcon />}
          title={t("search.startTitle")}
          description={t("search.startDescription")}
        />
      )}
    </>
  );
}

/** A hit: its file, page (or slide) and section; the file's name opens the source view at the hit. */
function SearchResult({ result, rank }: { result: Schemas["SearchResult"]; rank: number }) {
  const { t, i18n } = useTranslation();
  const [viewing, setViewing] = React.useState(false);
  const slides = unitOfFilename(result.filename) === "slide";
  const pages =
    result.page === null
      ? null
      : result.page_end && result.page_end !== result.page
        ? slides
          ? t("sources.slides", { from: result.page, to: result.page_end })
          : t("search.pages", { from: result.page, to: result.page_end })
        : slides
          ? t("sources.slide", { number: result.page })
          : t("search.page", { page: result.page });
  return (
    <Card className="grid gap-2 p-4">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Button variant="link" className="h-auto p-0 font-medium" onClick={() => setViewing(true)}>
          <FileTextIcon aria-hidden />
          {result.filename}
        </Button>
        {pages && <Badge variant="secondary">{pages}</Badge>}
        {result.kind !== "body" && (
          <Badge variant="outline" title={t("search.kindHelp")}>
            {t(`search.kinds.${result.kind}`)}
          </Badge>
        )}
        {result.section && <span className="truncate text-muted-foreground">§ {result.section}</span>}
        <span className="ml-auto text-xs tabular-nums text-muted-foreground" title={t("search.score")}>
          {new Intl.NumberFormat(i18n.language, {
            minimumFractionDigits: 3,
            maximumFractionDigits: 3,
          }).format(result.score)}
        </span>
      </div>
      {/* The readable part: a run of chart labels or symbols is left to the source view. */}
      {result.excerpt ? (
        <p className="line-clamp-4 text-sm text-muted-foreground">{result.excerpt}</p>
      ) : (
        <p className="text-sm italic text-muted-foreground">{t("search.symbolsOnly")}</p>
      )}
      <SourceDialog
        citation={{ ...result, index: rank, excerpt: result.text }}
        open={viewing}
        onOpenChange={setViewing}
      />
    </Card>
  );
}
