import { describe, expect, it } from "vitest";
import {
  InvitationPageSchema,
  InvitationSchema,
  ReceivedInvitationListSchema,
} from "../../src/routes/invitations/invitations.schemas";
import { MemberPageSchema, MemberSchema } from "../../src/routes/members/members.schemas";
import { TenantSchema } from "../../src/routes/tenants/tenants.schemas";
import { person, tenantOwnedBy } from "../helpers/members";

describe("members and invitations", () => {
  it("lets an invited user find the invitation, accept it and join with its role", async () => {
    const alice = await person("alice@example.com");
    const bob = await person("bob@example.com");
    const tenant = await tenantOwnedBy(alice);

    const invitation = await alice.in(tenant.id).expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "Bob@Example.com", role: "admin" },
    });
    expect(invitation).toMatchObject({ email: "bob@example.com", role: "admin", expired: false });

    const received = await bob.client.expectJson(
      200,
      "GET",
      "user/invitations",
      ReceivedInvitationListSchema,
    );
    expect(received.data).toEqual([
      {
        id: invitation.id,
        tenant_id: tenant.id,
        tenant_name: "Atelier",
        role: "admin",
        expires_at: invitation.expires_at,
      },
    ]);
    const joined = await bob.client.expectJson(
      200,
      "POST",
      `user/invitations/${invitation.id}/accept`,
      TenantSchema,
    );
    expect(joined).toMatchObject({ id: tenant.id, role: "admin" });

    const members = await bob.in(tenant.id).expectJson(200, "GET", "members", MemberPageSchema);
    expect(members.data.map(({ email, role, is_caller }) => ({ email, role, is_caller }))).toEqual([
      { email: "alice@example.com", role: "owner", is_caller: false },
      { email: "bob@example.com", role: "admin", is_caller: true },
    ]);
    const pending = await alice.in(tenant.id).expectJson(200, "GET", "invitations", InvitationPageSchema);
    expect(pending.data).toEqual([]);
  });

  it("changes a member's role, and lets a member leave", async () => {
    const alice = await person("alice@example.com");
    const carol = await person("carol@example.com");
    const tenant = await tenantOwnedBy(alice);
    const invitation = await alice.in(tenant.id).expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "carol@example.com" },
    });
    expect(invitation.role).toBe("member");
    await carol.client.expectJson(200, "POST", `user/invitations/${invitation.id}/accept`, TenantSchema);
    const carolId = (await carol.in(tenant.id).expectJson(200, "GET", "members", MemberPageSchema)).data.find(
      (member) => member.is_caller,
    )?.id;

    const promoted = await alice.in(tenant.id).expectJson(200, "PATCH", `members/${carolId}`, MemberSchema, {
      json: { role: "owner" },
    });
    expect(promoted.role).toBe("owner");
    await carol.in(tenant.id).expectNoContent("DELETE", `members/${carolId}`);

    const members = await alice.in(tenant.id).expectJson(200, "GET", "members", MemberPageSchema);
    expect(members.data.map((member) => member.email)).toEqual(["alice@example.com"]);
    await carol.in(tenant.id).expectProblem(404, "GET", "collections");
  });

  it("lets the invitee decline, and the admin revoke, an invitation", async () => {
    const alice = await person("alice@example.com");
    const dan = await person("dan@example.com");
    const tenant = await tenantOwnedBy(alice);
    const owner = alice.in(tenant.id);
    const first = await owner.expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "dan@example.com" },
    });
    await dan.client.expectNoContent("DELETE", `user/invitations/${first.id}`);
    expect((await owner.expectJson(200, "GET", "invitations", InvitationPageSchema)).data).toEqual([]);

    const second = await owner.expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "dan@example.com" },
    });
    await owner.expectNoContent("DELETE", `invitations/${second.id}`);
    await dan.client.expectProblem(404, "POST", `user/invitations/${second.id}/accept`);
    expect(
      (await dan.client.expectJson(200, "GET", "user/invitations", ReceivedInvitationListSchema)).data,
    ).toEqual([]);
  });
});
