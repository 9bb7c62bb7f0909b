import { UserPlusIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "@/components/page-header";
import { QueryState } from "@/components/query-state";
import { Button } from "@/components/ui/button";
import { useTenant } from "@/features/auth/tenant-context";
import { useMembers } from "./api";
import { InvitationList } from "./components/invitation-list";
import { InviteDialog } from "./components/invite-dialog";
import { MemberTable } from "./components/member-table";
import { ReceivedInvitations } from "./components/received-invitations";

export function MembersPage() {
  const { t } = useTranslation();
  const { tenant } = useTenant();
  const [inviting, setInviting] = React.useState(false);
  const canManage = tenant.role !== "member";
  const members = useMembers();
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
        <QueryState query={members} skeleton="h-40">
          {(page) => <MemberTable members={page.data} callerRole={tenant.role} />}
        </QueryState>
        {canManage && <InvitationList onInvite={() => setInviting(true)} />}
        <ReceivedInvitations />
      </div>
      <InviteDialog open={inviting} onOpenChange={setInviting} callerRole={tenant.role} />
    </>
  );
}
