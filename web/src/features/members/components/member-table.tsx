import * as React from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ProblemAlert } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useTenant } from "@/features/auth/tenant-context";
import { formatDate } from "@/lib/format";
import { type Member, useChangeRole, useRemoveMember } from "../api";
import { grantableRoles, type Role } from "../roles";

export function MemberTable({ members, callerRole }: { members: Member[]; callerRole: Role }) {
  const { t, i18n } = useTranslation();
  const [removing, setRemoving] = React.useState<Member | null>(null);
  const changeRole = useChangeRole();
  const manageable = (member: Member) =>
    callerRole === "owner" || (callerRole === "admin" && member.role !== "owner");
  // The workspace keeps one owner: its only owner cannot leave, and is told why rather than refused.
  const soleOwner =
    callerRole === "owner" && members.filter((member) => member.role === "owner").length === 1;
  const removable = (member: Member) => (member.is_caller ? !soleOwner : manageable(member));
  return (
    <Card className="p-0">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>{t("members.person")}</TableHead>
            <TableHead>{t("members.role")}</TableHead>
            <TableHead className="hidden sm:table-cell">{t("members.joined")}</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">{t("common.actions")}</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {members.map((member) => {
            const who = member.email ?? member.user_id;
            return (
              <TableRow key={member.id}>
                <TableCell className="max-w-56 truncate font-medium">
                  {who}
                  {member.is_caller && (
                    <Badge variant="outline" className="ml-2">
                      {t("members.you")}
                    </Badge>
                  )}
                </TableCell>
                <TableCell>
                  {manageable(member) && !member.is_caller ? (
                    <select
                      aria-label={t("members.roleOf", { who })}
                      className="h-8 rounded-md border border-input bg-card px-2 text-sm"
                      value={member.role}
                      disabled={changeRole.isPending}
                      onChange={(event) =>
                        changeRole.mutate({ id: member.id, role: event.target.value as Role })
                      }
                    >
                      {grantableRoles(callerRole).map((role) => (
                        <option key={role} value={role}>
                          {t(`roles.${role}`)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <Badge variant={member.role === "owner" ? "default" : "secondary"}>
                      {t(`roles.${member.role}`)}
                    </Badge>
                  )}
                </TableCell>
                <TableCell className="hidden sm:table-cell">
                  {formatDate(member.created_at, i18n.language)}
                </TableCell>
                <TableCell className="text-right">
                  {removable(member) && (
                    <Button
                      variant="ghost"
                      size="sm"
                      className="text-destructive"
                      aria-label={member.is_caller ? t("members.leave") : t("members.removeNamed", { who })}
                      onClick={() => setRemoving(member)}
                    >
                      {member.is_caller ? t("members.leave") : t("members.remove")}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {soleOwner && (
        <p className="border-t px-4 py-3 text-sm text-muted-foreground">{t("members.soleOwner")}</p>
      )}
      <RemoveDialog member={removing} onClose={() => setRemoving(null)} />
    </Card>
  );
}

function RemoveDialog({ member, onClose }: { member: Member | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { switchTenant } = useTenant();
  const remove = useRemoveMember({ onRemoved: onClose, onLeft: () => switchTenant(null) });
  const who = member?.email ?? member?.user_id ?? "";
  return (
    <ConfirmDialog
      open={member !== null}
      onOpenChange={(open) => {
        if (!open) {
          remove.reset();
          onClose();
        }
      }}
      title={member?.is_caller ? t("members.leaveTitle") : t("members.removeTitle", { who })}
      description={member?.is_caller ? t("members.leaveDescription") : t("members.removeDescription")}
      confirmLabel={member?.is_caller ? t("members.leave") : t("members.remove")}
      pending={remove.isPending}
      onConfirm={() => member && remove.mutate(member)}
    >
      {remove.isError && <ProblemAlert error={remove.error} />}
    </ConfirmDialog>
  );
}
