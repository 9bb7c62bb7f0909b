import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.routes";
import {
  InvitationPageSchema,
  InvitationSchema,
  MemberPageSchema,
  MemberSchema,
} from "../../src/routes/members/members.routes";
import { TenantSchema } from "../../src/routes/tenants/tenants.routes";
import { api } from "../helpers/api";
import { type Person, person, tenantOwnedBy } from "../helpers/members";

/** Invites `invitee` with `role` as `inviter` and has the invitee accept; returns its member id. */
async function join(inviter: Person, tenantId: string, invitee: Person & { email: string }, role: string) {
  const invitation = await inviter.in(tenantId).expectJson(201, "POST", "invitations", InvitationSchema, {
    json: { email: invitee.email, role },
  });
  await invitee.client.expectJson(200, "POST", `user/invitations/${invitation.id}/accept`, TenantSchema);
  const members = await inviter.in(tenantId).expectJson(200, "GET", "members", MemberPageSchema);
  const member = members.data.find((row) => row.email === invitee.email);
  if (!member) throw new Error(`${invitee.email} did not join`);
  return member.id;
}

const named = async (email: string) => ({ ...(await person(email)), email });

/** A tenant with an owner, an admin and a plain member, all signed in. */
async function team() {
  const owner = await named("owner@example.com");
  const admin = await named("admin@example.com");
  const member = await named("member@example.com");
  const tenant = await tenantOwnedBy(owner);
  const adminId = await join(owner, tenant.id, admin, "admin");
  const memberId = await join(owner, tenant.id, member, "member");
  const ownerId = (await owner.in(tenant.id).expectJson(200, "GET", "members", MemberPageSchema)).data.find(
    (row) => row.is_caller,
  )?.id as string;
  return { tenant, owner, admin, member, ownerId, adminId, memberId };
}

describe("who may accept an invitation", () => {
  it("is only the user whose session email is the invitation's", async () => {
    const owner = await named("owner@example.com");
    const tenant = await tenantOwnedBy(owner);
    const invitation = await owner.in(tenant.id).expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "eve@example.com", role: "admin" },
    });
    const mallory = await person("mallory@example.com");
    await mallory.client.expectProblem(404, "POST", `user/invitations/${invitation.id}/accept`);
    await mallory.client.expectProblem(404, "DELETE", `user/invitations/${invitation.id}`);
    await mallory.in(tenant.id).expectProblem(404, "GET", "members");

    const withoutEmail = await person();
    const problem = await withoutEmail.client.expectProblem(
      403,
      "POST",
      `user/invitations/${invitation.id}/accept`,
    );
    expect(problem.detail).toContain("email");
    // The development bypass and API keys have no email: no invitation is theirs.
    await api().expectProblem(404, "POST", `user/invitations/${invitation.id}/accept`);

    const pending = await owner.in(tenant.id).expectJson(200, "GET", "invitations", InvitationPageSchema);
    expect(pending.data.map((row) => row.id)).toEqual([invitation.id]);
  });

  it("refuses an expired invitation, lists it as expired and lets the admin invite again", async () => {
    const owner = await named("owner@example.com");
    const eve = await person("eve@example.com");
    const tenant = await tenantOwnedBy(owner);
    const first = await owner.in(tenant.id).expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "eve@example.com" },
    });
    await owner
      .in(tenant.id)
      .expectProblem(409, "POST", "invitations", { json: { email: "EVE@example.com" } });
    await env.DB.prepare("UPDATE invitations SET expires_at = ? WHERE id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), first.id)
      .run();

    await eve.client.expectProblem(404, "POST", `user/invitations/${first.id}/accept`);
    const listed = await owner.in(tenant.id).expectJson(200, "GET", "invitations", InvitationPageSchema);
    expect(listed.data.map((row) => row.expired)).toEqual([true]);

    const again = await owner.in(tenant.id).expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "eve@example.com" },
    });
    expect(again.id).not.toBe(first.id);
    await eve.client.expectJson(200, "POST", `user/invitations/${again.id}/accept`, TenantSchema);
    const problem = await owner.in(tenant.id).expectProblem(409, "POST", "invitations", {
      json: { email: "eve@example.com" },
    });
    expect(problem.detail).toContain("already a member");
  });
});

describe("who may manage members", () => {
  it("keeps owners out of an admin's reach: no owner invitations, no owner demoted or removed", async () => {
    const { tenant, admin, ownerId, memberId } = await team();
    const asAdmin = admin.in(tenant.id);
    await asAdmin.expectProblem(403, "POST", "invitations", {
      json: { email: "x@example.com", role: "owner" },
    });
    await asAdmin.expectProblem(403, "PATCH", `members/${memberId}`, { json: { role: "owner" } });
    await asAdmin.expectProblem(403, "PATCH", `members/${ownerId}`, { json: { role: "member" } });
    await asAdmin.expectProblem(403, "DELETE", `members/${ownerId}`);
    // What an admin may do: invite admins, promote members to admin, remove members.
    await asAdmin.expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "y@example.com", role: "admin" },
    });
    const promoted = await asAdmin.expectJson(200, "PATCH", `members/${memberId}`, MemberSchema, {
      json: { role: "admin" },
    });
    expect(promoted.role).toBe("admin");
    await asAdmin.expectNoContent("DELETE", `members/${memberId}`);
  });

  it("lets a member list the team but neither invite, change roles nor remove others", async () => {
    const { tenant, member, adminId } = await team();
    const asMember = member.in(tenant.id);
    const listed = await asMember.expectJson(200, "GET", "members", MemberPageSchema);
    expect(listed.data.map((row) => row.role)).toEqual(["owner", "admin", "member"]);
    await asMember.expectProblem(403, "GET", "invitations");
    await asMember.expectProblem(403, "POST", "invitations", { json: { email: "z@example.com" } });
    await asMember.expectProblem(403, "PATCH", `members/${adminId}`, { json: { role: "member" } });
    await asMember.expectProblem(403, "DELETE", `members/${adminId}`);
  });

  it("refuses API keys, even an admin's", async () => {
    const { tenant, owner, memberId } = await team();
    const { key } = await owner.in(tenant.id).expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "ops", role: "admin" },
    });
    const asKey = api({ authorization: `Bearer ${key}` });
    await asKey.expectProblem(403, "GET", "members");
    await asKey.expectProblem(403, "POST", "invitations", { json: { email: "k@example.com" } });
    await asKey.expectProblem(403, "PATCH", `members/${memberId}`, { json: { role: "admin" } });
    await asKey.expectProblem(403, "DELETE", `members/${memberId}`);
  });
});

describe("the last owner", () => {
  it("can be neither demoted nor removed, nor leave, until another owner exists", async () => {
    const { tenant, owner, admin, ownerId, adminId } = await team();
    const asOwner = owner.in(tenant.id);
    expect(
      (await asOwner.expectProblem(409, "PATCH", `members/${ownerId}`, { json: { role: "admin" } })).code,
    ).toBe("conflict");
    await asOwner.expectProblem(409, "DELETE", `members/${ownerId}`);

    await asOwner.expectJson(200, "PATCH", `members/${adminId}`, MemberSchema, { json: { role: "owner" } });
    await asOwner.expectNoContent("DELETE", `members/${ownerId}`);
    await admin.in(tenant.id).expectProblem(409, "DELETE", `members/${adminId}`);
  });

  it("survives two owners demoting each other at the same time", async () => {
    const { tenant, owner, admin, ownerId, adminId } = await team();
    await owner.in(tenant.id).expectJson(200, "PATCH", `members/${adminId}`, MemberSchema, {
      json: { role: "owner" },
    });
    const [first, second] = await Promise.all([
      owner.in(tenant.id).request("PATCH", `members/${adminId}`, { json: { role: "member" } }),
      admin.in(tenant.id).request("PATCH", `members/${ownerId}`, { json: { role: "member" } }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const members = await owner.in(tenant.id).expectJson(200, "GET", "members", MemberPageSchema);
    expect(members.data.filter((row) => row.role === "owner")).toHaveLength(1);
  });
});
