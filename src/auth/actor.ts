export type Role = "owner" | "admin" | "member";

/** Who is calling: a signed-in user, a tenant API key, or the local development bypass. */
export type Actor =
  | { type: "user"; userId: string; email: string | null }
  | { type: "api_key"; keyId: string }
  | { type: "dev"; userId: string };
