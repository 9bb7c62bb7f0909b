import type { SentInvitation } from "../../services/members/members.service";
import type { InvitationRow } from "../../storage/repositories/members.repo";

export const presentInvitation = (row: InvitationRow) => ({
  id: row.id,
  email: row.email,
  role: row.role,
  invited_by: row.invitedBy,
  created_at: row.createdAt,
  expires_at: row.expiresAt,
  expired: row.expiresAt <= new Date().toISOString(),
});

/** An invitation addressed to the caller, with the name of the tenant it opens. */
export const presentReceivedInvitation = ({
  invitation,
  tenantName,
}: {
  invitation: InvitationRow;
  tenantName: string;
}) => ({
  id: invitation.id,
  tenant_id: invitation.tenantId,
  tenant_name: tenantName,
  role: invitation.role,
  expires_at: invitation.expiresAt,
});

/** A new invitation, with how it reaches the invitee. */
export const presentSentInvitation = ({ invitation, delivery, acceptUrl }: SentInvitation) => ({
  ...presentInvitation(invitation),
  delivery,
  accept_url: acceptUrl,
});
