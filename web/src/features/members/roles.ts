export type Role = "owner" | "admin" | "member";

const rank: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

/** The roles a caller may give (invite with, or change to): never above its own, as the API enforces. */
export const grantableRoles = (caller: Role): Role[] =>
  (["member", "admin", "owner"] as const).filter((role) => rank[role] <= rank[caller]);
