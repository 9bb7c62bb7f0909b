import { TenantSchema } from "../../src/routes/tenants/tenants.schemas";
import { clerkClient, signToken } from "./clerk";

let people = 0;

export type Person = Awaited<ReturnType<typeof person>>;

/** A signed-in Clerk user whose session token carries `email` (or none); `in(tenant)` acts in that tenant. */
export async function person(email?: string) {
  const sub = `user_${++people}_${crypto.randomUUID().slice(0, 8)}`;
  const token = await signToken({ sub, email });
  return {
    sub,
    token,
    client: clerkClient(token),
    in: (tenantId: string) => clerkClient(token, { "x-tenant-id": tenantId }),
  };
}

/** A tenant created by `owner` through the API, so its owner membership carries the owner's email. */
export async function tenantOwnedBy(owner: Person, name = "Atelier") {
  return owner.client.expectJson(201, "POST", "tenants", TenantSchema, { json: { name } });
}
