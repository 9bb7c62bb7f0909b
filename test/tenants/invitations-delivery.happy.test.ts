import { describe, expect, inject, it } from "vitest";
import {
  InvitationPageSchema,
  ReceivedInvitationListSchema,
  SentInvitationSchema,
} from "../../src/routes/invitations/invitations.schemas";
import { apiWithEnv } from "../helpers/api";
import { clerkEnv } from "../helpers/clerk";
import { type Person, person, tenantOwnedBy } from "../helpers/members";

interface LoggedInvitation {
  authorization: string;
  body: {
    email_address: string;
    redirect_url: string;
    notify: boolean;
    public_metadata: Record<string, string>;
  };
}

const clerkInvitations = async (email: string): Promise<LoggedInvitation[]> =>
  ((await (await fetch(inject("clerk").invitationsLogUrl)).json()) as LoggedInvitation[]).filter(
    (entry) => entry.body.email_address === email,
  );

/** The person acting in the tenant on a server where Clerk's Backend API (the fake) is configured. */
function withClerkBackend(who: Person, tenantId: string, secretKey = inject("clerk").secretKey) {
  const clerk = inject("clerk");
  return apiWithEnv(clerkEnv({ CLERK_SECRET_KEY: secretKey, CLERK_API_URL: clerk.apiUrl }), {
    authorization: `Bearer ${who.token}`,
    "x-tenant-id": tenantId,
  });
}

describe("sending an invitation", () => {
  it("has Clerk e-mail it when Clerk's secret key is set, with the console page to accept it", async () => {
    const alice = await person("alice@example.com");
    const tenant = await tenantOwnedBy(alice);
    const email = `bob-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const sent = await withClerkBackend(alice, tenant.id).expectJson(
      201,
      "POST",
      "invitations",
      SentInvitationSchema,
      { json: { email, role: "admin" } },
    );
    expect(sent).toMatchObject({ email, role: "admin", delivery: "email" });
    expect(sent.accept_url).toMatch(new RegExp(`/invitations\\?invitation=${sent.id}$`));

    const [request, ...more] = await clerkInvitations(email);
    expect(more).toEqual([]);
    expect(request).toMatchObject({
      authorization: `Bearer ${inject("clerk").secretKey}`,
      body: {
        email_address: email,
        redirect_url: sent.accept_url,
        notify: true,
        public_metadata: { ancre_tenant_id: tenant.id, ancre_invitation_id: sent.id },
      },
    });
  });

  it("keeps nothing and says so (502) when Clerk refuses it, so that inviting again works", async () => {
    const alice = await person("alice@example.com");
    const tenant = await tenantOwnedBy(alice);
    const problem = await withClerkBackend(alice, tenant.id).expectProblem(502, "POST", "invitations", {
      json: { email: "someone@refused.test" },
    });
    expect(problem.code).toBe("upstream_error");
    const pending = await alice.in(tenant.id).expectJson(200, "GET", "invitations", InvitationPageSchema);
    expect(pending.data).toEqual([]);

    const wrongKey = withClerkBackend(alice, tenant.id, "sk_test_not_the_key");
    await wrongKey.expectProblem(502, "POST", "invitations", { json: { email: "carol@example.com" } });
    expect(
      (await alice.in(tenant.id).expectJson(200, "GET", "invitations", InvitationPageSchema)).data,
    ).toEqual([]);
  });

  it("gives a link to share when Clerk's Backend API is not configured, and the link's invitation is the invitee's", async () => {
    const alice = await person("alice@example.com");
    const dan = await person("dan@example.com");
    const tenant = await tenantOwnedBy(alice);
    const sent = await alice.in(tenant.id).expectJson(201, "POST", "invitations", SentInvitationSchema, {
      json: { email: "dan@example.com" },
    });
    expect(sent).toMatchObject({ delivery: "link", role: "member" });
    const link = new URL(sent.accept_url);
    expect(link.pathname).toBe("/invitations");
    expect(await clerkInvitations("dan@example.com")).toEqual([]);

    const received = await dan.client.expectJson(
      200,
      "GET",
      "user/invitations",
      ReceivedInvitationListSchema,
    );
    expect(received.data.map((invitation) => invitation.id)).toContain(link.searchParams.get("invitation"));
  });
});
