import { UsersIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { CopyField } from "@/components/copy-field";
import { FormDialog, FormField } from "@/components/form-dialog";
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
import { useToast } from "@/components/ui/toast";
import { type SentInvitation, useInvite } from "../api";
import { grantableRoles, type Role } from "../roles";

export function InviteDialog({
  open,
  onOpenChange,
  callerRole,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  callerRole: Role;
}) {
  const { t } = useTranslation();
  const notify = useToast();
  const [email, setEmail] = React.useState("");
  const [role, setRole] = React.useState<Role>("member");
  // Sent without e-mail: the link the inviter shares.
  const [shared, setShared] = React.useState<SentInvitation | null>(null);
  const invite = useInvite({
    onInvited: (invitation) => {
      if (invitation.delivery === "email") {
        notify({ tone: "success", title: t("members.invited", { email: invitation.email }) });
      } else {
        setShared(invitation);
      }
      close(false);
    },
  });
  function close(next: boolean) {
    onOpenChange(next);
    if (!next) {
      invite.reset();
      setEmail("");
      setRole("member");
    }
  }
  return (
    <>
      <InvitationLinkDialog
        invitation={shared}
        admin={callerRole !== "member"}
        onClose={() => setShared(null)}
      />
      <FormDialog
        open={open}
        onOpenChange={close}
        title={t("members.invite")}
        description={t("members.inviteDescription")}
        submitLabel={
          <>
            <UsersIcon aria-hidden />
            {t("members.sendInvitation")}
          </>
        }
        pending={invite.isPending}
        canSubmit={email.trim() !== ""}
        error={invite.isError ? invite.error : undefined}
        onSubmit={() => invite.mutate({ email, role })}
      >
        <FormField id="invite-email" label={t("members.email")}>
          <Input
            id="invite-email"
            type="email"
            required
            autoComplete="off"
            value={email}
            placeholder="name@example.com"
            onChange={(event) => setEmail(event.target.value)}
          />
        </FormField>
        <FormField id="invite-role" label={t("members.role")} hint={t(`members.roleHelp.${role}`)}>
          <select
            id="invite-role"
            className="h-9 rounded-md border border-input bg-card px-3 text-sm"
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
          >
            {grantableRoles(callerRole).map((option) => (
              <option key={option} value={option}>
                {t(`roles.${option}`)}
              </option>
            ))}
          </select>
        </FormField>
      </FormDialog>
    </>
  );
}

/** The invitation's link, to copy and send, when the server sends no e-mail. */
function InvitationLinkDialog({
  invitation,
  admin,
  onClose,
}: {
  invitation: SentInvitation | null;
  admin: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={invitation !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("members.linkTitle")}</DialogTitle>
          <DialogDescription>
            {t("members.linkDescription", { email: invitation?.email ?? "" })}
          </DialogDescription>
        </DialogHeader>
        <CopyField
          id="invitation-link"
          label={t("members.linkLabel")}
          value={invitation?.accept_url ?? ""}
          copyLabel={t("members.copyLink")}
          note={admin && <p className="text-xs text-muted-foreground">{t("members.linkAdminNote")}</p>}
        />
        <DialogFooter>
          <Button onClick={onClose}>{t("apiKeys.done")}</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
