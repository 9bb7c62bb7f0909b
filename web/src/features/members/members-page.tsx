import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MailIcon, UserPlusIcon, UsersIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "@/api/client";
import { PageHeader } from "@/components/page-header";
import { ProblemAlert, useProblemToast } from "@/components/problem-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useTenant } from "@/features/auth/tenant-context";
import { formatDate } from "@/lib/format";
import { grantableRoles, type Role } from "./roles";

type Member = Schemas["Member"];
type Invitation = Schemas["Invitation"];

const memberKeys = {
  members: ["members"] as const,
  invitations: ["invitations"] as const,
  received: ["received-invitations"] as const,
};

export function MembersPage() {
  const { t } = useTranslation();
  const { tenant } = useTenant();
  const [inviting, setInviting] = React.useState(false);
  const canManage = tenant.role !== "member";
  const members = useQuery({
    queryKey: memberKeys.members,
    queryFn: () => unwrap(api.GET("/api/v1/members", { params: { query: { limit: 100 } } })),
  });
  return (
    <>
      <PageHeader
        title={t("nav.members")}
        description={t("members.description")}
        actions={
          canManage && (
            <Button onClick={() => setInviting(true)}>
              <UserPlusIcon aria-hidden />
              {t("members.invite")}
            </Button>
          )
        }
      />
      <div className="grid gap-6">
        {members.isPending ? (
          <Skeleton className="h-40" />
        ) : members.isError ? (
          <ProblemAlert error={members.error} onRetry={() => members.refetch()} />
        ) : (
          <MemberTable members={members.data.data} callerRole={tenant.role} />
        )}
        {canManage && <InvitationList onInvite={() => setInviting(true)} />}
        <ReceivedInvitations />
      </div>
      <InviteDialog open={inviting} onOpenChange={setInviting} callerRole={tenant.role} />
    </>
  );
}

function MemberTable({ members, callerRole }: { members: Member[]; callerRole: Role }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showProblem = useProblemToast();
  const [removing, setRemoving] = React.useState<Member | null>(null);
  const changeRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) =>
      unwrap(
        api.PATCH("/api/v1/members/{member_id}", { params: { path: { member_id: id } }, body: { role } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.members }),
    onError: showProblem,
  });
  const manageable = (member: Member) =>
    callerRole === "owner" || (callerRole === "admin" && member.role !== "owner");
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
                  {(member.is_caller || manageable(member)) && (
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
      <RemoveDialog member={removing} onClose={() => setRemoving(null)} />
    </Card>
  );
}

function RemoveDialog({ member, onClose }: { member: Member | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { switchTenant } = useTenant();
  const remove = useMutation({
    mutationFn: (target: Member) =>
      unwrap(api.DELETE("/api/v1/members/{member_id}", { params: { path: { member_id: target.id } } })),
    onSuccess: async (_, target) => {
      if (target.is_caller) return switchTenant(null);
      await queryClient.invalidateQueries({ queryKey: memberKeys.members });
      onClose();
    },
  });
  const who = member?.email ?? member?.user_id ?? "";
  return (
    <Dialog
      open={member !== null}
      onOpenChange={(open) => {
        if (!open) {
          remove.reset();
          onClose();
        }
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {member?.is_caller ? t("members.leaveTitle") : t("members.removeTitle", { who })}
          </DialogTitle>
          <DialogDescription>
            {member?.is_caller ? t("members.leaveDescription") : t("members.removeDescription")}
          </DialogDescription>
        </DialogHeader>
        {remove.isError && <ProblemAlert error={remove.error} />}
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button
            variant="destructive"
            disabled={remove.isPending}
            onClick={() => member && remove.mutate(member)}
          >
            {member?.is_caller ? t("members.leave") : t("members.remove")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function InvitationList({ onInvite }: { onInvite: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showProblem = useProblemToast();
  const invitations = useQuery({
    queryKey: memberKeys.invitations,
    queryFn: () => unwrap(api.GET("/api/v1/invitations", { params: { query: { limit: 100 } } })),
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/invitations/{invitation_id}", { params: { path: { invitation_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.invitations }),
    onError: showProblem,
  });
  return (
    <section aria-labelledby="invitations-title" className="grid gap-3">
      <h2 id="invitations-title" className="text-lg font-semibold">
        {t("members.invitations")}
      </h2>
      {invitations.isPending ? (
        <Skeleton className="h-24" />
      ) : invitations.isError ? (
        <ProblemAlert error={invitations.error} onRetry={() => invitations.refetch()} />
      ) : invitations.data.data.length === 0 ? (
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
      ) : (
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
              {invitations.data.data.map((invitation: Invitation) => (
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
    </section>
  );
}

/** Invitations addressed to the signed-in user, from other workspaces; hidden when there are none. */
function ReceivedInvitations() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const notify = useToast();
  const showProblem = useProblemToast();
  const received = useQuery({
    queryKey: memberKeys.received,
    queryFn: () => unwrap(api.GET("/api/v1/user/invitations")),
    retry: false,
  });
  const accept = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST("/api/v1/user/invitations/{invitation_id}/accept", {
          params: { path: { invitation_id: id } },
        }),
      ),
    onSuccess: async (tenant) => {
      notify({ tone: "success", title: t("members.joinedWorkspace", { name: tenant.name }) });
      await queryClient.invalidateQueries();
    },
    onError: showProblem,
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

function InviteDialog({
  open,
  onOpenChange,
  callerRole,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  callerRole: Role;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [email, setEmail] = React.useState("");
  const [role, setRole] = React.useState<Role>("member");
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/invitations", { body: { email, role } })),
    onSuccess: async (invitation) => {
      await queryClient.invalidateQueries({ queryKey: memberKeys.invitations });
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
    <Dialog open={open} onOpenChange={close}>
      <DialogContent>
        <form
          className="grid gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            invite.mutate();
          }}
        >
          <DialogHeader>
            <DialogTitle>{t("members.invite")}</DialogTitle>
            <DialogDescription>{t("members.inviteDescription")}</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="invite-email">{t("members.email")}</Label>
            <Input
              id="invite-email"
              type="email"
              required
              autoComplete="off"
              value={email}
              placeholder="name@example.com"
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="invite-role">{t("members.role")}</Label>
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
            <p className="text-xs text-muted-foreground">{t(`members.roleHelp.${role}`)}</p>
          </div>
          {invite.isError && <ProblemAlert error={invite.error} />}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => close(false)}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" disabled={invite.isPending || !email.trim()}>
              <UsersIcon aria-hidden />
              {t("members.sendInvitation")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
