import { signVisitorToken, type VisitorClaims, verifyVisitorToken } from "../../auth/visitor-token";
import type { Deps, Identity, Verb } from "../../context";
import { AppError } from "../../errors";
import { newId, randomSecret } from "../../lib/ids";
import { nowIso } from "../../lib/time";
import { cachedLookup, freshLookup, rememberInRequest } from "../../storage/lookup-cache";
import {
  enableWidget,
  findWidget,
  findWidgetByKey,
  setRefusedOrigins,
  updateWidgetRow,
  type WidgetRow,
  type WidgetSettings,
} from "../../storage/repositories/widgets.repo";
import { getAssistant } from "../assistants/assistants.service";
import { recordAuditEvent } from "../audit/audit.service";
import { rateLimited, takeRequest } from "../quotas/quotas.service";
import { tenantBeingDeleted } from "../tenants/deletion";
import { originAllowed } from "./origins";

const PUBLISHABLE_KEY_PREFIX = "pk_";
/** How many origins a widget may allow. */
export const MAX_ALLOWED_ORIGINS = 50;
/** How many distinct refused origins a widget remembers (the most recent ones). */
export const REFUSED_ORIGINS_KEPT = 20;
/** A refused origin seen again within this time is not written again (one write a minute per origin at most). */
const REFUSED_ORIGIN_REFRESH_MS = 60_000;
const VISITOR_ID = /^vis_[0-9a-hjkmnp-tv-z]{26}$/;

/** What a widget looks like and may spend when its administrator leaves a field out. */
export const WIDGET_DEFAULTS = {
  greeting: "Hello! Ask me a question and I will answer from our documents.",
  primaryColor: "#2563eb",
  position: "bottom-right",
  language: "auto",
  suggestedQuestions: [] as string[],
  visitorMessagesPerHour: 20,
  visitorMessagesPerDay: 100,
  assistantMessagesPerHour: 500,
  assistantMessagesPerDay: 5000,
} as const satisfies Partial<WidgetSettings>;

/** A widget as the console sees it; never set yet: disabled, keyless, with the defaults and no dates. */
export type WidgetState = Omit<WidgetRow, "createdAt" | "updatedAt"> & {
  createdAt: string | null;
  updatedAt: string | null;
};

/** What an administrator sends to publish a widget; omitted fields take WIDGET_DEFAULTS (title: the assistant's name). */
export type WidgetInput = Pick<WidgetSettings, "allowedOrigins"> &
  Partial<Omit<WidgetSettings, "allowedOrigins">>;

/** A stored widget as the console sees it: an origin allowed since its refusal is no longer listed as refused. */
const widgetState = (row: WidgetRow): WidgetState => ({
  ...row,
  refusedOrigins: row.refusedOrigins.filter(({ origin }) => !originAllowed(origin, row.allowedOrigins)),
});

// The allow-list's checks hold the Public Suffix List: loaded by the first change to a widget, not
// by the visitors' authentication, which this module serves on every widget request.
const loadAllowedOrigins = () => import("./allowed-origins");

const mintKey = () => `${PUBLISHABLE_KEY_PREFIX}${randomSecret(20)}`;

/** The assistant's widget, or its defaults when it was never set (404 only for an unknown assistant). */
export async function getWidget({ ctx, deps, input }: Verb<{ assistantId: string }>): Promise<WidgetState> {
  const assistant = await getAssistant({ ctx, deps, input });
  const row = await findWidget(deps.db, ctx.tenantId, assistant.id);
  // An origin allowed since its refusal is no longer one to act on.
  if (row) return widgetState(row);
  return {
    ...WIDGET_DEFAULTS,
    assistantId: assistant.id,
    tenantId: ctx.tenantId,
    enabled: false,
    publishableKey: null,
    allowedOrigins: [],
    refusedOrigins: [],
    title: assistant.name,
    createdAt: null,
    updatedAt: null,
  };
}

/** Sets the widget's settings (replacing them all) and enables it; the first enabling mints its key. */
export async function publishWidget({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; settings: WidgetInput }>): Promise<WidgetState> {
  const assistant = await getAssistant({ ctx, deps, input });
  const given = Object.fromEntries(Object.entries(input.settings).filter(([, value]) => value !== undefined));
  const settings: WidgetSettings = {
    ...WIDGET_DEFAULTS,
    title: assistant.name,
    ...given,
    allowedOrigins: (await loadAllowedOrigins()).normalizeAllowedOrigins(input.settings.allowedOrigins),
  };
  const row = await enableWidget(deps.db, {
    tenantId: ctx.tenantId,
    assistantId: assistant.id,
    settings,
    mintedKey: mintKey(),
    now: nowIso(),
  });
  await recordAuditEvent({
    ctx,
    deps,
    input: {
      action: "widget.published",
      targetType: "assistant",
      targetId: assistant.id,
      details: { allowed_origins: settings.allowedOrigins.length },
    },
  });
  return widgetState(row);
}

/**
 * Adds one origin to the widget's allowed origins (the console's one click on a refused site),
 * leaving every other setting as it is; 409 `conflict` before the first publication.
 */
export async function allowWidgetOrigin({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string; origin: string }>): Promise<WidgetState> {
  const widget = await getWidget({ ctx, deps, input });
  if (!widget.createdAt) throw new AppError("conflict", "This assistant has no widget yet: publish it first");
  const { normalizeAllowedOrigin, normalizeAllowedOrigins } = await loadAllowedOrigins();
  const check = normalizeAllowedOrigin(input.origin);
  const invalid = (message: string) =>
    new AppError("validation_failed", `Invalid request: ${message}`, {
      errors: [{ field: "json.origin", message }],
    });
  if (!check.ok) throw invalid(`${input.origin} ${check.reason}`);
  const allowedOrigins = normalizeAllowedOrigins([...widget.allowedOrigins, check.origin]);
  if (allowedOrigins.length > MAX_ALLOWED_ORIGINS) {
    throw invalid(`a widget allows at most ${MAX_ALLOWED_ORIGINS} origins: remove one first`);
  }
  const row = await updateWidgetRow(deps.db, ctx.tenantId, widget.assistantId, {
    allowedOrigins,
    updatedAt: nowIso(),
  });
  if (!row) throw new AppError("conflict", "This assistant has no widget yet: publish it first");
  return widgetState(row);
}

/**
 * Remembers that `origin` was refused a session: the most recent REFUSED_ORIGINS_KEPT distinct
 * origins with when each was last seen. Two refusals at once may keep only one of them: the next
 * attempt of the other records it again.
 */
async function recordRefusedOrigin(deps: Deps, widget: WidgetRow, origin: string): Promise<void> {
  const now = nowIso();
  const seen = widget.refusedOrigins.find((entry) => entry.origin === origin);
  if (seen && Date.parse(now) - Date.parse(seen.lastSeenAt) < REFUSED_ORIGIN_REFRESH_MS) return;
  const refusedOrigins = [
    { origin, lastSeenAt: now },
    ...widget.refusedOrigins.filter((entry) => entry.origin !== origin),
  ].slice(0, REFUSED_ORIGINS_KEPT);
  await setRefusedOrigins(deps.db, widget.tenantId, widget.assistantId, refusedOrigins);
}

/** Replaces the widget's key: sessions opened with the old one stop at their next request. */
export async function rotateWidgetKey({
  ctx,
  deps,
  input,
}: Verb<{ assistantId: string }>): Promise<WidgetState> {
  const assistant = await getAssistant({ ctx, deps, input });
  const row = await updateWidgetRow(deps.db, ctx.tenantId, assistant.id, {
    publishableKey: mintKey(),
    updatedAt: nowIso(),
  });
  if (!row) throw new AppError("conflict", "This assistant has no widget yet: publish it (PUT) first");
  await recordAuditEvent({
    ctx,
    deps,
    input: { action: "widget.key_rotated", targetType: "assistant", targetId: assistant.id },
  });
  return widgetState(row);
}

/** Disables the widget (settings and key are kept for a later PUT); nothing to do when never set. */
export async function disableWidget({ ctx, deps, input }: Verb<{ assistantId: string }>): Promise<void> {
  const assistant = await getAssistant({ ctx, deps, input });
  const row = await updateWidgetRow(deps.db, ctx.tenantId, assistant.id, {
    enabled: false,
    updatedAt: nowIso(),
  });
  if (row)
    await recordAuditEvent({
      ctx,
      deps,
      input: { action: "widget.disabled", targetType: "assistant", targetId: assistant.id },
    });
}

/** The lookup a widget's row is kept under by its tenant and assistant (budgets.ts reads it). */
export const widgetLookupKey = (tenantId: string, assistantId: string) => `widget:${tenantId}:${assistantId}`;

/**
 * The widget that `publishableKey` opens, if it may serve a page of `origin` now: the key is
 * current, the tenant is not being deleted, the widget is enabled and lists the origin.
 * Each refusal is its own 403 code, so the widget can say which. `beforeChecks` runs as soon as
 * the key is known (the session's per-IP limit), so that refused attempts count too;
 * `onOriginRefused` runs before an origin's refusal is thrown.
 *
 * The widget is read by its key once per isolate for the lookup bound (LOOKUP_CACHE_SECONDS,
 * storage/lookup-cache.ts), as an API key is: a rotation, a disabling or an origin removed
 * through another isolate stops a session within the bound, through this one at once. A refusal
 * is decided on the row as it is now (read again when the kept one would refuse), so that an
 * origin allowed or a widget enabled elsewhere serves at once, and an unknown key is never kept.
 */
async function servingWidget(
  deps: Deps,
  publishableKey: string,
  origin: string | null,
  beforeChecks?: (widget: WidgetRow) => Promise<void>,
  onOriginRefused?: (widget: WidgetRow, origin: string) => Promise<void>,
) {
  const lookupKey = `widget-key:${publishableKey}`;
  let readNow = false;
  const read = () => {
    readNow = true;
    return findWidgetByKey(deps.db, publishableKey);
  };
  const refuses = ({ widget }: NonNullable<Awaited<ReturnType<typeof read>>>) =>
    !widget.enabled || (origin !== null && !originAllowed(origin, widget.allowedOrigins));
  let found = publishableKey.startsWith(PUBLISHABLE_KEY_PREFIX)
    ? await cachedLookup(deps, lookupKey, read)
    : undefined;
  if (found && !readNow && refuses(found)) found = await freshLookup(deps, lookupKey, read);
  if (found) {
    // The chat's widget budgets read the same row (budgets.ts), not D1 again.
    rememberInRequest(deps, widgetLookupKey(found.widget.tenantId, found.widget.assistantId), found.widget);
  }
  if (!found) {
    throw new AppError(
      "widget_key_invalid",
      "This widget key is unknown or was rotated: copy the current snippet from the assistant's widget settings",
    );
  }
  const { widget, tenantDeletionRequestedAt } = found;
  if (tenantDeletionRequestedAt) throw tenantBeingDeleted(widget.tenantId, tenantDeletionRequestedAt);
  await beforeChecks?.(widget);
  if (!widget.enabled) throw new AppError("widget_disabled", "This assistant's widget is disabled");
  if (!origin) {
    throw new AppError(
      "widget_origin_missing",
      "A widget session needs the Origin header a browser sends: open it from a page of an allowed site",
    );
  }
  if (!originAllowed(origin, widget.allowedOrigins)) {
    await onOriginRefused?.(widget, origin);
    throw new AppError("widget_origin_not_allowed", `The widget is not allowed on ${origin}`, { origin });
  }
  return widget;
}

export interface VisitorSession {
  token: string;
  expiresAt: string;
  visitorId: string;
  widget: WidgetRow;
}

/**
 * Opens a visitor session on a page of `origin` (see pageOrigin; null when unknown): checks
 * the key, the widget and the origin, rate-limits the client IP, and signs a token bound to the
 * tenant, the assistant, the origin and the visitor. A returning visitor keeps its id.
 */
export async function startVisitorSession({
  deps,
  input,
}: {
  deps: Deps;
  input: { key: string; visitorId?: string; origin: string | null; clientIp: string; region?: string };
}): Promise<VisitorSession> {
  const { origin } = input;
  const widget = await servingWidget(
    deps,
    input.key,
    origin,
    async ({ tenantId }) => {
      // Counted before the other checks, so that refused attempts use the IP's allowance too; in
      // the caller's region, which an address always reaches.
      const decision = await takeRequest({
        ctx: { tenantId, region: input.region },
        deps,
        input: {
          key: `widget-session:${input.clientIp}`,
          perMinute: deps.config.widget.sessionsPerMinutePerIp,
          perRegion: true,
        },
      });
      if (!decision.allowed) throw rateLimited(decision, "widget sessions");
    },
    // Shown in the console's Embed tab, for the administrator to allow in one click.
    (refused, refusedOrigin) => recordRefusedOrigin(deps, refused, refusedOrigin),
  );
  const visitorId = input.visitorId && VISITOR_ID.test(input.visitorId) ? input.visitorId : newId("vis");
  const claims: VisitorClaims = {
    tenantId: widget.tenantId,
    assistantId: widget.assistantId,
    visitorId,
    // servingWidget refuses a missing origin.
    origin: origin!,
    publishableKey: widget.publishableKey!,
  };
  const { token, expiresAt } = await signVisitorToken(claims, deps.config);
  return { token, expiresAt, visitorId, widget };
}

/**
 * The identity of a request made with a visitor token from `origin`: the token is valid, was
 * issued for this origin, and its widget still serves it (same key, enabled, origin still
 * listed), so that a rotation, a disabling or a removed origin stop open sessions at once.
 */
export async function authenticateVisitor({
  deps,
  input,
}: {
  deps: Deps;
  input: { token: string; origin: string | null };
}): Promise<Identity> {
  const claims = await verifyVisitorToken(input.token, deps.config);
  const { origin } = input;
  if (origin !== claims.origin) {
    throw new AppError(
      "widget_origin_not_allowed",
      "This visitor token was issued for another site: open a widget session from this page",
    );
  }
  let widget: WidgetRow;
  try {
    widget = await servingWidget(deps, claims.publishableKey, origin);
  } catch (error) {
    // A rotated key ends the session: the widget starts a new one (and learns then if it may).
    if (error instanceof AppError && error.code === "widget_key_invalid") {
      throw new AppError("unauthenticated", "The widget key was rotated; start a new widget session");
    }
    throw error;
  }
  if (widget.tenantId !== claims.tenantId || widget.assistantId !== claims.assistantId) {
    throw new AppError("unauthenticated", "The visitor token is not valid; start a new widget session");
  }
  return {
    actor: { type: "visitor", visitorId: claims.visitorId, assistantId: claims.assistantId, origin },
    tenantId: claims.tenantId,
    // Visitors act as members: they see only the conversations they started.
    role: "member",
  };
}
