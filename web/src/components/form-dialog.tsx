import type * as React from "react";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "@/components/problem-alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

export interface DialogFormProps {
  title: string;
  description?: string;
  /** The submit button's content (a label, with an icon when the action has one). */
  submitLabel: React.ReactNode;
  /** The mutation is running: the submit button waits. */
  pending?: boolean;
  /** False while the fields cannot be sent yet (a required name still empty). */
  canSubmit?: boolean;
  /** The last failure of the mutation, shown above the buttons. */
  error?: unknown;
  onSubmit: () => void;
  onCancel: () => void;
  className?: string;
  children: React.ReactNode;
}

/** A dialog's form: title and description, the fields, the failure, then Cancel and the action. */
export function DialogForm({
  title,
  description,
  submitLabel,
  pending = false,
  canSubmit = true,
  error,
  onSubmit,
  onCancel,
  className,
  children,
}: DialogFormProps) {
  const { t } = useTranslation();
  return (
    <form
      className={cn("grid gap-4", className)}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        {description && <DialogDescription>{description}</DialogDescription>}
      </DialogHeader>
      {children}
      {error ? <ProblemAlert error={error} /> : null}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          {t("common.cancel")}
        </Button>
        <Button type="submit" disabled={pending || !canSubmit}>
          {submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** A modal form (create, rename, invite): closing it cancels; `onOpenChange(false)` resets the caller's state. */
export function FormDialog({
  open,
  onOpenChange,
  ...form
}: Omit<DialogFormProps, "onCancel"> & { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogForm {...form} onCancel={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  );
}

/** A labelled field of a form, with an optional hint below it. */
export function FormField({
  id,
  label,
  hint,
  children,
}: {
  id: string;
  label: string;
  hint?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
    </div>
  );
}
