import { MailIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { QueryState } from "@/components/query-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDate } from "@/lib/format";
import { type Invitation, useInvitations, useRevokeInvitation } from "../api";

export function InvitationList({ onInvite }: { onInvite: () => void }) {
  const { t, i18n } = useTranslation();
  const invitations = useInvitations();
  const revoke = useRevokeInvitation();
  return (
    <section aria-labelledby="invitations-title" className="grid gap-3">
      <h2 id="invitations-title" className="text-lg font-semibold">
        {t("members.invitations")}
      </h2>
      <QueryState
        query={invitations}
        isEmpty={(page) => page.data.length === 0}
        empty={
          <EmptyState
            icon={<MailIcon />}
            title={t("members.noInvitations")}
            description={t("members.noInvitationsDescription")}
            action={
              <Button variant="outline" onClick={onInvite}>
                {t("members.invite")}
              </Button>
            }
          />
        }
      >
        {(page) => (
          <Card className="p-0">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("members.email")}</TableHead>
                  <TableHead>{t("members.role")}</TableHead>
                  <TableHead className="hidden sm:table-cell">{t("members.expires")}</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">{t("common.actions")}</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.data.map((invitation: Invitation) => (
                  <TableRow key={invitation.id}>
                    <TableCell className="max-w-56 truncate font-medium">{invitation.email}</TableCell>
                    <TableCell>
                      <Badge variant="secondary">{t(`roles.${invitation.role}`)}</Badge>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">
                      {invitation.expired ? (
                        <Badge variant="warning">{t("members.expired")}</Badge>
                      ) : (
                        formatDate(invitation.expires_at, i18n.language)
                      )}
                    </TableCell>
                    <TableCell className="text-right">
                      <Button
                        variant="ghost"
                        size="sm"
                        className="text-destructive"
                        aria-label={t("members.revokeNamed", { email: invitation.email })}
                        disabled={revoke.isPending}
                        onClick={() => revoke.mutate(invitation.id)}
                      >
                        {t("members.revoke")}
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Card>
        )}
      </QueryState>
    </section>
  );
}
