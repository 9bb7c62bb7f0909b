import { z } from "@hono/zod-openapi";
import { nangoConnectionStatuses, nangoSyncItemStatuses, nangoSyncStatuses } from "../../storage/schema";

/** Nango's integration id (its provider config key), e.g. `google-drive`. */
export const providerField = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, '-', '_' or '.'");

export const ConnectSessionSchema = z
  .object({
    provider: z.string(),
    token: z.string().openapi({ description: "Open Nango's Connect UI with this session token" }),
    expires_at: z.string().datetime(),
    connect_link: z
      .string()
      .nullable()
      .openapi({ description: "A link to Connect UI, when Nango gives one" }),
  })
  .openapi("NangoConnectSession");

export const ConnectionSchema = z
  .object({
    provider: z.string().openapi({ description: "Nango's integration id", example: "google-drive" }),
    nango_provider: z
      .string()
      .openapi({ description: "The provider behind the integration", example: "google-drive" }),
    connection_id: z.string(),
    status: z.enum(nangoConnectionStatuses),
    error: z.string().nullable().openapi({ description: "Why the connection failed, for the user" }),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("NangoConnection");

export const ConnectionListSchema = z
  .object({ data: z.array(ConnectionSchema) })
  .openapi("NangoConnectionList");

export const SyncSchema = z
  .object({
    id: z.string().openapi({ example: "syn_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    provider: z.string(),
    collection_id: z.string(),
    status: z.enum(nangoSyncStatuses),
    error: z.string().nullable().openapi({ description: "Why the sync stopped (a quota met) or failed" }),
    progress: z.object({
      files_found: z.number().int(),
      pending: z.number().int(),
      added: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      skipped: z.number().int(),
      failed: z.number().int(),
      removed: z
        .number()
        .int()
        .openapi({ description: "Documents deleted because their file left the source" }),
    }),
    failures: z.array(
      z.object({
        external_id: z.string(),
        name: z.string(),
        status: z.enum(nangoSyncItemStatuses),
        error: z.string().nullable(),
      }),
    ),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
    finished_at: z.string().datetime().nullable(),
  })
  .openapi("NangoSync");

export const SyncRequestSchema = z
  .object({ collection_id: z.string().min(1).max(64).openapi({ example: "col_01jd3v9k2m4n5p6q7r8s9t0v1w" }) })
  .openapi("NangoSyncRequest");

export const CallbackQuery = z.object({
  provider: providerField.openapi({ example: "google-drive" }),
  connection_id: z.string().min(1).max(200).openapi({ description: "Connect UI's connectionId" }),
});

export const WebhookAckSchema = z.object({ received: z.literal(true), handled: z.boolean() });
