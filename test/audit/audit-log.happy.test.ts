import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { depsFor } from "../../src/deps";
import { CreatedApiKeySchema } from "../../src/routes/api-keys/api-keys.schemas";
import { AssistantSchema } from "../../src/routes/assistants/assistants.schemas";
import { AuditEventPageSchema } from "../../src/routes/audit/audit.schemas";
import { CollectionSchema } from "../../src/routes/collections/collections.schemas";
import { InvitationSchema } from "../../src/routes/invitations/invitations.schemas";
import { MemberPageSchema, MemberSchema } from "../../src/routes/members/members.schemas";
import { TenantSchema } from "../../src/routes/tenants/tenants.schemas";
import { WidgetSchema } from "../../src/routes/widgets/widgets.schemas";
import { AUDIT_RETENTION_DAYS, auditRow, trimAuditLog } from "../../src/services/audit/audit.service";
import { insertAuditEvent } from "../../src/storage/repositories/audit.repo";
import type { ApiClient } from "../helpers/api";
import { person, tenantOwnedBy } from "../helpers/members";
import { connectTenant, NANGO } from "../helpers/nango";

async function allEvents(client: ApiClient, limit = 100) {
  const events = [];
  let cursor: string | null = null;
  do {
    const query: string = `audit-events?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
    const page = await client.expectJson(200, "GET", query, AuditEventPageSchema);
    events.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return events;
}

describe("audit log", () => {
  it("records who did what to the tenant, newest first, page by page, with no e-mail address", async () => {
    const alice = await person("alice.audit@example.com");
    const bob = await person("bob.audit@example.com");
    const tenant = await tenantOwnedBy(alice);
    const owner = alice.in(tenant.id);

    const invitation = await owner.expectJson(201, "POST", "invitations", InvitationSchema, {
      json: { email: "bob.audit@example.com", role: "admin" },
    });
    await bob.client.expectJson(200, "POST", `user/invitations/${invitation.id}/accept`, TenantSchema);
    const members = await owner.expectJson(200, "GET", "members", MemberPageSchema);
    const bobMember = members.data.find((member) => member.user_id === bob.sub)!;
    await owner.expectJson(200, "PATCH", `members/${bobMember.id}`, MemberSchema, {
      json: { role: "member" },
    });
    const key = await owner.expectJson(201, "POST", "api-keys", CreatedApiKeySchema, {
      json: { name: "ci", role: "admin" },
    });
    await owner.expectNoContent("DELETE", `api-keys/${key.id}`);
    const collection = await owner.expectJson(201, "POST", "collections", CollectionSchema, {
      json: { name: "Docs" },
    });
    const assistant = await owner.expectJson(201, "POST", "assistants", AssistantSchema, {
      json: { name: "Helper", system_prompt: "p", collection_ids: [collection.id] },
    });
    await owner.expectJson(200, "PUT", `assistants/${assistant.id}/widget`, WidgetSchema, {
      json: { allowed_origins: ["https://shop.example"] },
    });
    await owner.expectJson(200, "POST", `assistants/${assistant.id}/widget/rotate`, WidgetSchema);
    await owner.expectNoContent("DELETE", `assistants/${assistant.id}/widget`);
    await owner.expectNoContent("DELETE", `assistants/${assistant.id}`);
    await owner.expectNoContent("DELETE", `collections/${collection.id}`);
    await owner.expectNoContent("DELETE", `members/${bobMember.id}`);

    // Three to a page: the cursor walks the whole log, newest first.
    const events = await allEvents(owner, 3);
    expect(events.map((event) => [event.action, event.target.type, event.target.id])).toEqual([
      ["member.removed", "member", bobMember.id],
      ["collection.deleted", "collection", collection.id],
      ["assistant.deleted", "assistant", assistant.id],
      ["widget.disabled", "assistant", assistant.id],
      ["widget.key_rotated", "assistant", assistant.id],
      ["widget.published", "assistant", assistant.id],
      ["api_key.revoked", "api_key", key.id],
      ["api_key.created", "api_key", key.id],
      ["member.role_changed", "member", bobMember.id],
      ["member.invited", "invitation", invitation.id],
    ]);
    for (const event of events) {
      expect(event.actor).toEqual({ type: "user", id: alice.sub });
      expect(event.request_id).toMatch(/^req_/);
    }
    expect(events.find((event) => event.action === "member.role_changed")?.details).toEqual({
      user_id: bob.sub,
      from: "admin",
      to: "member",
    });
    expect(events.find((event) => event.action === "api_key.created")?.details).toEqual({
      name: "ci",
      role: "admin",
    });
    const everything = JSON.stringify(events);
    expect(everything).not.toContain("@example.com");
    expect(everything).not.toContain(key.key);
  });

  it("keeps events for the retention, and the cron's trim deletes older ones", async () => {
    const alice = await person("alice.retention@example.com");
    const tenant = await tenantOwnedBy(alice);
    const deps = depsFor(env);
    const now = new Date();
    const old = {
      ...auditRow(
        { tenantId: tenant.id, actor: "system" },
        { action: "plan.changed", targetType: "tenant", targetId: tenant.id },
      ),
      createdAt: new Date(now.getTime() - (AUDIT_RETENTION_DAYS + 1) * 86_400_000).toISOString(),
    };
    const recent = auditRow(
      { tenantId: tenant.id, actor: "system" },
      { action: "plan.changed", targetType: "tenant", targetId: tenant.id, details: { to: "pro" } },
    );
    await insertAuditEvent(deps.db, old);
    await insertAuditEvent(deps.db, recent);

    expect(await trimAuditLog({ deps, input: { now } })).toBeGreaterThanOrEqual(1);
    const events = await allEvents(alice.in(tenant.id));
    expect(events.map((event) => event.id)).toEqual([recent.id]);
    expect(events[0]?.actor).toEqual({ type: "system", id: null });
  });
});

describe("audit log of connections", () => {
  it("records a connection Nango reports and one the tenant removes", async () => {
    const alice = await person("alice.connections@example.com");
    const tenant = await tenantOwnedBy(alice);
    const owner = alice.in(tenant.id);
    await connectTenant({ id: tenant.id, client: owner }, "google-drive");
    await owner.expectNoContent("DELETE", `${NANGO}/connections/google-drive`);

    const events = await allEvents(owner);
    expect(events.map((event) => [event.action, event.actor.type, event.target.id])).toEqual([
      ["connection.removed", "user", "google-drive"],
      ["connection.created", "system", "google-drive"],
    ]);
  });
});
