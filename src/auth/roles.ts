/** A member's role in a tenant. */
export type Role = "owner" | "admin" | "member";

const rank: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

/** The roles an API key can have: owner belongs to people only. */
export const apiKeyRoles = ["member", "admin"] as const;
export type ApiKeyRole = (typeof apiKeyRoles)[number];

/** Whether `role` grants no more than `ceiling`. */
export const roleAtMost = (role: Role, ceiling: Role): boolean => rank[role] <= rank[ceiling];
