import { describe, expect, it } from "vitest";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { AuditEventPageSchema } from "../../src/routes/audit/audit.schemas";
import { InvitationSchema } from "../../src/routes/invitations/invitations.schemas";
import { TenantSchema } from "../../src/routes/tenants/tenants.schemas";
import { api } from "../helpers/api";
import { person, tenantOwnedBy } from "../helpers/members";

describe("audit log access", () => {
  it("is read by owners and admins of the tenant only, and shows none of another tenant's events", async () => {
    const alice = await person("alice.sec@example.com");
    const mallory = await person("mallory.sec@example.com");
    const mine = await tenantOwnedBy(alice, "Mine");
    const theirs = await tenantOwnedBy(mallory, "Theirs");
    await mallory
      .in(theirs.id)
      .expectJson(201, "POST", "api-keys", CreatedApiKeySchema, { json: { name: "theirs" } });
    const ownKey = await alice
      .in(mine.id)
      .expectJson(201, "POST", "api-keys", CreatedApiKeySchema, { json: { name: "mine" } });

    const events = await alice.in(mine.id).expectJson(200, "GET", "audit-events", AuditEventPageSchema);
    expect(events.data.map((event) => event.target.id)).toEqual([ownKey.id]);

    // A member reads nothing; a member API key neither; another tenant's caller gets a 404.
    const invitation = await alice.in(mine.id).expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "mallory.sec@example.com", role: "member" },
    });
    await mallory.client.expectJson(200, "POST", `user/invitations/${invitation.id}/accept`, TenantSchema);
    expect((await mallory.in(mine.id).expectProblem(403, "GET", "audit-events")).code).toBe("forbidden");
    const memberKey = api({ authorization: `Bearer ${ownKey.key}` });
    expect((await memberKey.expectProblem(403, "GET", "audit-events")).code).toBe("forbidden");
    const stranger = await person("stranger.sec@example.com");
    expect((await stranger.in(mine.id).expectProblem(404, "GET", "audit-events")).code).toBe("not_found");
  });
});
