import { z } from "zod";

// The fields of Nango's auth and sync webhooks that Ancre reads; the rest is ignored.
const AuthWebhookSchema = z.object({
  type: z.literal("auth"),
  connectionId: z.string().min(1),
  providerConfigKey: z.string().min(1),
  provider: z.string().min(1),
  success: z.boolean(),
  tags: z.record(z.string(), z.string()).nullish(),
  endUser: z
    .object({ organizationId: z.string().nullish(), tags: z.record(z.string(), z.string()).nullish() })
    .nullish(),
  error: z.object({ type: z.string().optional(), description: z.string().optional() }).nullish(),
});

const SyncWebhookSchema = z.object({
  type: z.literal("sync"),
  connectionId: z.string().min(1),
  providerConfigKey: z.string().min(1),
  success: z.boolean(),
});

export type NangoWebhook =
  | {
      type: "auth";
      /** The tenant the connect session named (its organisation), if it named one. */
      tenantId: string | undefined;
      integrationId: string;
      provider: string;
      connectionId: string;
      success: boolean;
      /** Why the connection failed, as a sentence for the user. */
      error: string;
    }
  | { type: "sync"; integrationId: string; connectionId: string };

/** The webhook's meaning, or undefined for a kind Ancre does not act on (or a failed sync). */
export function parseNangoWebhook(payload: Uint8Array): NangoWebhook | undefined {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return undefined;
  }
  const auth = AuthWebhookSchema.safeParse(body);
  if (auth.success) {
    const webhook = auth.data;
    const reason =
      webhook.error?.description ?? webhook.error?.type ?? "the provider refused the authorisation";
    return {
      type: "auth",
      tenantId:
        webhook.tags?.organization_id ??
        webhook.endUser?.organizationId ??
        webhook.endUser?.tags?.organization_id ??
        undefined,
      integrationId: webhook.providerConfigKey,
      provider: webhook.provider,
      connectionId: webhook.connectionId,
      success: webhook.success,
      error: `The connection failed: ${reason}`,
    };
  }
  const sync = SyncWebhookSchema.safeParse(body);
  if (sync.success && sync.data.success) {
    return { type: "sync", integrationId: sync.data.providerConfigKey, connectionId: sync.data.connectionId };
  }
  return undefined;
}
