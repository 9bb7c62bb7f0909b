import type { MembershipRow } from "../../storage/repositories/tenants.repo";

export const callerId = (actor: { type: string; userId?: string }) =>
  actor.type === "api_key" ? null : actor.userId;

export const presentMember = (row: MembershipRow, caller: string | null | undefined) => ({
  id: row.id,
  user_id: row.userId,
  email: row.email,
  role: row.role,
  created_at: row.createdAt,
  is_caller: row.userId === caller,
});
