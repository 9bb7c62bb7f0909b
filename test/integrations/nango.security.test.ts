import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { driveFile } from "../fakes/nango-source-files";
import { apiWithEnv, expectProblemBody } from "../helpers/api";
import {
  authWebhook,
  connectTenant,
  createNangoConnection,
  listConnections,
  NANGO,
  sendNangoWebhook,
  setSourceFiles,
  signNangoBody,
  startSync,
  waitForSync,
} from "../helpers/nango";
import { createCollection, createTenant } from "../helpers/tenants";

describe("Nango webhook security", () => {
  it("needs no credentials, only Nango's signature", async () => {
    const tenant = await createTenant();
    const connectionId = await createNangoConnection(tenant.id, "google-drive");
    const response = await sendNangoWebhook(
      apiWithEnv({}),
      authWebhook({ tenantId: tenant.id, provider: "google-drive", connectionId }),
    );
    expect(response.status).toBe(200);
    expect(await listConnections(tenant.client)).toMatchObject([
      { connection_id: connectionId, status: "active" },
    ]);
  });

  it("refuses forged, tampered and unsigned webhooks with a 401, and records nothing", async () => {
    const tenant = await createTenant();
    const body = authWebhook({ tenantId: tenant.id, provider: "google-drive", connectionId: "forged" });
    const signedElsewhere = await sendNangoWebhook(tenant.client, body, { secret: "not-the-webhook-secret" });
    const attempts = {
      "signed with another secret": signedElsewhere,
      // The secret key is not the webhook secret when the environment has one of its own.
      "signed with the secret key": await sendNangoWebhook(tenant.client, body, {
        secret: env.NANGO_SECRET_KEY,
      }),
      "tampered after signing": await sendNangoWebhook(tenant.client, body, {
        signature: await signNangoBody(JSON.stringify({ ...body, connectionId: "other" })),
      }),
      "with a malformed signature": await sendNangoWebhook(tenant.client, body, { signature: "zz" }),
      unsigned: await sendNangoWebhook(tenant.client, body, { signature: null }),
    };
    for (const [how, response] of Object.entries(attempts)) {
      expect((await expectProblemBody(response, 401, how)).code).toBe("unauthenticated");
    }
    expect(await listConnections(tenant.client)).toEqual([]);
  });
});

describe("another tenant's connections", () => {
  it("are invisible: not listed, not deleted, not synced, their syncs not shown", async () => {
    const owner = await createTenant();
    const collection = await createCollection(owner);
    const connectionId = await connectTenant(owner, "google-drive");
    await setSourceFiles(connectionId, [driveFile("d1", "txt/norwich-city.txt")]);
    const sync = await waitForSync(
      owner.client,
      (await startSync(owner.client, "google-drive", collection.id)).id,
    );

    const intruder = await createTenant("Intruder");
    const intruderCollection = await createCollection(intruder);
    expect(await listConnections(intruder.client)).toEqual([]);
    await intruder.client.expectProblem(404, "DELETE", `${NANGO}/connections/google-drive`);
    await intruder.client.expectProblem(404, "POST", `${NANGO}/connections/google-drive/sync`, {
      json: { collection_id: intruderCollection.id },
    });
    await intruder.client.expectProblem(404, "GET", `${NANGO}/syncs/${sync.id}`);
    // Nango has the connection, but it was made for the owner: the intruder cannot claim it.
    await intruder.client.expectProblem(
      404,
      "GET",
      `${NANGO}/callback?provider=google-drive&connection_id=${connectionId}`,
    );
    expect(await listConnections(intruder.client)).toEqual([]);
    expect(await listConnections(owner.client)).toMatchObject([
      { connection_id: connectionId, status: "active" },
    ]);
  });
});
