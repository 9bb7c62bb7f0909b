import { UsersIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { FormDialog, FormField } from "@/components/form-dialog";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { useInvite } from "../api";
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
  const invite = useInvite({
    onInvited: (invitation) => {
      notify({ tone: "success", title: t("members.invited", { email: invitation.email }) });
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
  );
}
