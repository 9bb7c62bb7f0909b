import { useTranslation } from "react-i18next";
import { CopyField } from "@/components/copy-field";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";

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
        <CopyField
          id="webhook-secret"
          label={t("webhooks.secret")}
          value={secret ?? ""}
          warning={t("webhooks.shownOnce")}
        />
        <DialogFooter>
          <Button onClick={onClose}>{t("webhooks.done")}</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
