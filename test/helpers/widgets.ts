import type { z } from "@hono/zod-openapi";
import { WidgetSchema, WidgetSessionSchema } from "../../src/routes/widgets/widgets.schemas";
import { type ApiClient, api } from "./api";
import type { TestTenant } from "./tenants";

export const SITE = "https://www.customer.example";

type PublishBody = { allowed_origins: string[] } & Record<string, unknown>;

/** Publishes (PUT) the assistant's widget and returns it; by default allowed on SITE only. */
export const publishWidget = (
  tenant: TestTenant,
  assistantId: string,
  body: PublishBody = { allowed_origins: [SITE] },
) => tenant.client.expectJson(200, "PUT", `assistants/${assistantId}/widget`, WidgetSchema, { json: body });

/** POST /widget/session as a page of `origin` would (no Origin header when origin is null). */
export function sessionRequest(
  origin: string | null,
  body: { key: string; visitor_id?: string },
  headers: Record<string, string> = {},
) {
  return api().request("POST", "widget/session", {
    json: body,
    headers: { ...(origin ? { origin } : {}), ...headers },
  });
}

export type WidgetSession = z.infer<typeof WidgetSessionSchema>;

/** Opens a visitor session from `origin` (201 expected). */
export const openSession = (origin: string, key: string, visitorId?: string): Promise<WidgetSession> =>
  api().expectJson(201, "POST", "widget/session", WidgetSessionSchema, {
    json: { key, visitor_id: visitorId },
    headers: { origin },
  });

/** A client that calls the API as the widget does: the visitor token, from the page's origin. */
export const visitorClient = (session: WidgetSession, origin = SITE): ApiClient =>
  api({ authorization: `Bearer ${session.token}`, origin });
