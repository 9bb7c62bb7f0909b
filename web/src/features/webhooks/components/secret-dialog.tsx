import { TriangleAlertIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { CopyButton } from "@/components/copy-button";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** Shows an endpoint's signing secret, the only time the API gives it (creation or rotation). */
export function SecretDialog({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={secret !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("webhooks.secretTitle")}</DialogTitle>
          <DialogDescription>{t("webhooks.secretDescription")}</DialogDescription>
        </DialogHeader>
        <div className="grid gap-2">
          <Label htmlFor="webhook-secret">{t("webhooks.secret")}</Label>
          <div className="flex gap-2">
            <Input
              id="webhook-secret"
              readOnly
              value={secret ?? ""}
              className="font-mono text-xs"
              onFocus={(event) => event.currentTarget.select()}
            />
            <CopyButton value={secret ?? ""} />
          </div>
          <p className="flex items-center gap-1.5 text-xs text-warning">
            <TriangleAlertIcon className="size-3.5" aria-hidden />
            {t("webhooks.shownOnce")}
          </p>
        </div>
        <DialogFooter>
          <Button onClick={onClose}>{t("webhooks.done")}</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
