import { useQueryClient } from "@tanstack/react-query";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { collectionKeys } from "./api";
import { nextToStart, uploadFile, uploadQueueReducer } from "./upload-queue";

/**
 * The upload list of a collection: files added (dropped or chosen) wait their turn, go up with
 * their progress, then the document list is refreshed so their ingestion status shows.
 */
export function useUploadQueue(collectionId: string) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [items, dispatch] = React.useReducer(uploadQueueReducer, []);
  const inputRef = React.useRef<HTMLInputElement>(null);
  const nextId = React.useRef(0);

  React.useEffect(() => {
    for (const item of nextToStart(items)) {
      dispatch({ type: "start", id: item.id });
      uploadFile(collectionId, item.file, (sent) => dispatch({ type: "progress", id: item.id, sent }))
        .then((document) => {
          dispatch({ type: "done", id: item.id, document });
          void queryClient.invalidateQueries({ queryKey: collectionKeys.documents(collectionId) });
        })
        .catch((error: unknown) => dispatch({ type: "failed", id: item.id, error }));
    }
  }, [items, collectionId, queryClient]);

  const add = React.useCallback((files: File[]) => {
    if (files.length === 0) return;
    const ids = files.map(() => {
      nextId.current += 1;
      return `upload-${nextId.current}`;
    });
    dispatch({ type: "add", files, ids });
  }, []);

  const inputElement = (
    <input
      ref={inputRef}
      type="file"
      multiple
      hidden
      aria-label={t("documents.uploadFiles")}
      onChange={(event) => {
        add([...(event.target.files ?? [])]);
        event.target.value = "";
      }}
    />
  );

  return {
    items,
    add,
    choose: () => inputRef.current?.click(),
    dismiss: (id: string) => dispatch({ type: "dismiss", id }),
    clearFinished: () => dispatch({ type: "clearFinished" }),
    inputElement,
  };
}
