import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ApiKeyPageSchema, CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { CollectionPageSchema } from "../../src/routes/collections/collections.schemas";
import { InvitationPageSchema, InvitationSchema } from "../../src/routes/invitations/invitations.schemas";
import { MemberPageSchema, MemberSchema } from "../../src/routes/members/members.schemas";
import { TenantSchema } from "../../src/routes/tenants/tenants.schemas";
import { createApiKey } from "../../src/services/api-keys/api-keys.service";
import { inviteMember } from "../../src/services/members/members.service";
import { type ApiClient, api } from "../helpers/api";
import { type Person, person, tenantOwnedBy } from "../helpers/members";
import { depsWith } from "../helpers/quotas";

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

const mintKey = (creator: ApiClient, name: string, role: "admin" | "member") =>
  creator.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, { json: { name, role } });
const withKey = (key: string) => api({ authorization: `Bearer ${key}` });

/** What the team's admin handed out: keys they minted, a key minted by their key, and invitations. */
async function adminGrants(tenantId: string, admin: Person) {
  const asAdmin = admin.in(tenantId);
  const adminKey = await mintKey(asAdmin, "admin's admin key", "admin");
  const memberKey = await mintKey(asAdmin, "admin's member key", "member");
  const mintedByKey = await mintKey(withKey(adminKey.key), "minted by the admin key", "member");
  const adminInvite = await asAdmin.expectJson(201, "POST", "invitations", InvitationSchema, {
    json: { email: "second-admin@example.com", role: "admin" },
  });
  const memberInvite = await asAdmin.expectJson(201, "POST", "invitations", InvitationSchema, {
    json: { email: "second-member@example.com", role: "member" },
  });
  return { adminKey, memberKey, mintedByKey, adminInvite, memberInvite };
}

describe("what a removed or demoted member handed out", () => {
  it("goes with a removed admin, in that tenant only: their keys, the keys those minted, their invitations", async () => {
    const { tenant, owner, admin, adminId } = await team();
    const grants = await adminGrants(tenant.id, admin);
    const ownersKey = await mintKey(owner.in(tenant.id), "owner's key", "admin");
    // The same admin in another tenant keeps what they handed out there.
    const elsewhere = await tenantOwnedBy(owner, "Elsewhere");
    await join(owner, elsewhere.id, admin, "admin");
    const keyElsewhere = await mintKey(admin.in(elsewhere.id), "kept elsewhere", "admin");
    const inviteElsewhere = await admin
      .in(elsewhere.id)
      .expectJson(201, "POST", "invitations", InvitationSchema, {
        json: { email: "second-admin@example.com", role: "admin" },
      });

    await owner.in(tenant.id).expectNoContent("DELETE", `members/${adminId}`);

    for (const key of [grants.adminKey, grants.memberKey, grants.mintedByKey]) {
      await withKey(key.key).expectProblem(401, "GET", "collections");
    }
    await withKey(grants.adminKey.key).expectProblem(401, "POST", "api-keys", {
      json: { name: "after removal", role: "admin" },
    });
    await withKey(grants.adminKey.key).expectProblem(401, "GET", "api-keys");
    const secondAdmin = await person("second-admin@example.com");
    const secondMember = await person("second-member@example.com");
    await secondAdmin.client.expectProblem(404, "POST", `user/invitations/${grants.adminInvite.id}/accept`);
    await secondMember.client.expectProblem(404, "POST", `user/invitations/${grants.memberInvite.id}/accept`);
    await secondAdmin.in(tenant.id).expectProblem(404, "GET", "members");

    const keys = await owner.in(tenant.id).expectJson(200, "GET", "api-keys", ApiKeyPageSchema);
    expect(keys.data.map((key) => key.id)).toEqual([ownersKey.id]);
    const invitations = await owner.in(tenant.id).expectJson(200, "GET", "invitations", InvitationPageSchema);
    expect(invitations.data).toEqual([]);
    await withKey(keyElsewhere.key).expectJson(200, "GET", "api-keys", ApiKeyPageSchema);
    const joined = await secondAdmin.client.expectJson(
      200,
      "POST",
      `user/invitations/${inviteElsewhere.id}/accept`,
      TenantSchema,
    );
    expect(joined).toMatchObject({ id: elsewhere.id, role: "admin" });
  });

  it("goes with an admin who leaves", async () => {
    const { tenant, admin, adminId } = await team();
    const grants = await adminGrants(tenant.id, admin);
    await admin.in(tenant.id).expectNoContent("DELETE", `members/${adminId}`);
    await withKey(grants.memberKey.key).expectProblem(401, "GET", "collections");
    await withKey(grants.adminKey.key).expectProblem(401, "GET", "collections");
    const secondMember = await person("second-member@example.com");
    await secondMember.client.expectProblem(404, "POST", `user/invitations/${grants.memberInvite.id}/accept`);
  });

  it("is capped to a demoted admin's new role: admin keys and invitations go, member ones stay", async () => {
    const { tenant, owner, admin, adminId } = await team();
    const grants = await adminGrants(tenant.id, admin);

    await owner.in(tenant.id).expectJson(200, "PATCH", `members/${adminId}`, MemberSchema, {
      json: { role: "member" },
    });

    await withKey(grants.adminKey.key).expectProblem(401, "POST", "api-keys", {
      json: { name: "after demotion", role: "admin" },
    });
    // Minted by the revoked admin key: it goes along, as when that key is revoked.
    await withKey(grants.mintedByKey.key).expectProblem(401, "GET", "collections");
    // A member key is within the new role: the member could mint it again, so it stays.
    await withKey(grants.memberKey.key).expectJson(200, "GET", "collections", CollectionPageSchema);
    const secondAdmin = await person("second-admin@example.com");
    await secondAdmin.client.expectProblem(404, "POST", `user/invitations/${grants.adminInvite.id}/accept`);
    const secondMember = await person("second-member@example.com");
    const joined = await secondMember.client.expectJson(
      200,
      "POST",
      `user/invitations/${grants.memberInvite.id}/accept`,
      TenantSchema,
    );
    expect(joined.role).toBe("member");
    const keys = await owner.in(tenant.id).expectJson(200, "GET", "api-keys", ApiKeyPageSchema);
    expect(keys.data.map((key) => key.id)).toEqual([grants.memberKey.id]);
  });

  it("stays when the removal or demotion is refused", async () => {
    const { tenant, owner, ownerId } = await team();
    const ownersKey = await mintKey(owner.in(tenant.id), "owner's key", "admin");
    const invite = await owner.in(tenant.id).expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "co-owner@example.com", role: "owner" },
    });
    await owner.in(tenant.id).expectProblem(409, "DELETE", `members/${ownerId}`);
    await owner.in(tenant.id).expectProblem(409, "PATCH", `members/${ownerId}`, { json: { role: "member" } });

    await withKey(ownersKey.key).expectJson(200, "GET", "api-keys", ApiKeyPageSchema);
    const coOwner = await person("co-owner@example.com");
    const joined = await coOwner.client.expectJson(
      200,
      "POST",
      `user/invitations/${invite.id}/accept`,
      TenantSchema,
    );
    expect(joined.role).toBe("owner");
  });

  it("takes along a key or an invitation made by a request authenticated before the change", async () => {
    const { tenant, owner, admin, adminId } = await team();
    // The admin's requests were authenticated as admin; the demotion, then the removal, landed
    // before their inserts.
    const asAuthenticated = (requestId: string) => ({
      ctx: {
        tenantId: tenant.id,
        actor: { type: "user" as const, userId: admin.sub, email: admin.email },
        role: "admin" as const,
        requestId,
      },
      deps: depsWith(),
    });
    await owner.in(tenant.id).expectJson(200, "PATCH", `members/${adminId}`, MemberSchema, {
      json: { role: "member" },
    });
    await expect(
      createApiKey({ ...asAuthenticated("req_demoted_key"), input: { name: "late", role: "admin" } }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      inviteMember({
        ...asAuthenticated("req_demoted_invite"),
        input: { email: "late-admin@example.com", role: "admin", consoleOrigin: "https://ancre.test" },
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    // Within the new role, both still go through.
    const memberKey = await createApiKey({
      ...asAuthenticated("req_demoted_member_key"),
      input: { name: "member key", role: "member" },
    });
    await inviteMember({
      ...asAuthenticated("req_demoted_member_invite"),
      input: { email: "late-member@example.com", role: "member", consoleOrigin: "https://ancre.test" },
    });

    await owner.in(tenant.id).expectNoContent("DELETE", `members/${adminId}`);
    await withKey(memberKey.key).expectProblem(401, "GET", "collections");
    await expect(
      createApiKey({ ...asAuthenticated("req_removed_key"), input: { name: "late", role: "member" } }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      inviteMember({
        ...asAuthenticated("req_removed_invite"),
        input: { email: "later@example.com", role: "member", consoleOrigin: "https://ancre.test" },
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect((await owner.in(tenant.id).expectJson(200, "GET", "api-keys", ApiKeyPageSchema)).data).toEqual([]);
    expect(
      (await owner.in(tenant.id).expectJson(200, "GET", "invitations", InvitationPageSchema)).data,
    ).toEqual([]);
  });
});
