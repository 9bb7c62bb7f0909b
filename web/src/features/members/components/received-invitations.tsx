import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import type { Tenant } from "@/features/auth/tenant-context";
import { useAcceptInvitation, useReceivedInvitations } from "../api";

/**
 * Invitations addressed to the signed-in user, from other workspaces; hidden when there are none.
 * `onJoined` gets the workspace an accepted invitation opened (the picker enters it).
 */
export function ReceivedInvitations({ onJoined }: { onJoined?: (tenant: Tenant) => void } = {}) {
  const { t } = useTranslation();
  const notify = useToast();
  const received = useReceivedInvitations();
  const accept = useAcceptInvitation({
    onJoined: (tenant) => {
      notify({ tone: "success", title: t("members.joinedWorkspace", { name: tenant.name }) });
      onJoined?.(tenant);
    },
  });
  if (!received.data || received.data.data.length === 0) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("members.forYou")}</CardTitle>
        <CardDescription>{t("members.forYouDescription")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2">
        {received.data.data.map((invitation) => (
          <div key={invitation.id} className="flex flex-wrap items-center justify-between gap-2">
            <span>
              {t("members.invitedTo", { name: invitation.tenant_name, role: t(`roles.${invitation.role}`) })}
            </span>
            <Button size="sm" disabled={accept.isPending} onClick={() => accept.mutate(invitation.id)}>
              {t("members.accept")}
            </Button>
          </div>
        ))}
      </CardContent>
    </Card>
  );
}
