import { TriangleAlertIcon } from "lucide-react";
import type * as React from "react";
import { CopyButton } from "@/components/copy-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/**
 * A value to copy (a key, a secret, a link): read-only, selected on focus, with its copy button and,
 * for what the API shows only once, a warning underneath.
 */
export function CopyField({
  id,
  label,
  value,
  copyLabel,
  warning,
  note,
}: {
  id: string;
  label: string;
  value: string;
  copyLabel?: string;
  warning?: string;
  note?: React.ReactNode;
}) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex min-w-0 gap-2">
        <Input
          id={id}
          readOnly
          value={value}
          className="min-w-0 flex-1 font-mono text-xs"
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton value={value} label={copyLabel} />
      </div>
      {warning && (
        <p className="flex items-center gap-1.5 text-xs text-warning">
          <TriangleAlertIcon className="size-3.5" aria-hidden />
          {warning}
        </p>
      )}
      {note}
    </div>
  );
}
