import { FolderPlusIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { FormDialog, FormField } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { useCreateCollection } from "../api";

/** The "New collection" button and its form; opens the new collection once created. */
export function NewCollectionButton() {
  const { t } = useTranslation();
  const [open, setOpen] = React.useState(false);
  const [name, setName] = React.useState("");
  const [description, setDescription] = React.useState("");
  const create = useCreateCollection();
  const navigate = useNavigate();
  const notify = useToast();

  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <FolderPlusIcon aria-hidden />
        {t("collections.newCollection")}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) create.reset();
        }}
        title={t("collections.newCollection")}
        description={t("collections.description")}
        submitLabel={t("common.create")}
        pending={create.isPending}
        canSubmit={name.trim() !== ""}
        error={create.isError ? create.error : undefined}
        onSubmit={() =>
          create.mutate(
            { name: name.trim(), description: description.trim() || null },
            {
              onSuccess: (collection) => {
                setOpen(false);
                setName("");
                setDescription("");
                notify({ tone: "success", title: t("collections.created", { name: collection.name }) });
                navigate(`/collections/${collection.id}`);
              },
            },
          )
        }
      >
        <FormField id="collection-name" label={t("collections.name")}>
          <Input
            id="collection-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder={t("collections.namePlaceholder")}
            maxLength={200}
            required
            autoFocus
          />
        </FormField>
        <FormField id="collection-description" label={t("collections.descriptionLabel")}>
          <Textarea
            id="collection-description"
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            maxLength={2000}
            rows={3}
          />
        </FormField>
      </FormDialog>
    </>
  );
}
