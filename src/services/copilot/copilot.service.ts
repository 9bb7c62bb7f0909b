import { COPILOT_TOKEN_TTL_MS, signCopilotToken } from "../../auth/copilot-token";
import type { Deps, TenantContext } from "../../context";
import { AppError } from "../../errors";

/**
 * The copilot Worker and a token that lets it act for the caller (see auth/copilot-token.ts).
 * Without the COPILOT binding or the shared secret, the copilot is `not_configured`.
 */
export async function grantCopilot({
  ctx,
  deps,
}: {
  ctx: TenantContext;
  deps: Deps;
}): Promise<{ copilot: Fetcher; token: string }> {
  if (!deps.copilot) {
    throw new AppError(
      "not_configured",
      "The copilot is not deployed: add the COPILOT service binding to the copilot Worker (README, Copilot)",
    );
  }
  if (!deps.config.copilot) {
    throw new AppError(
      "not_configured",
      "The copilot is not configured: set COPILOT_INTERNAL_SECRET on both Workers (README, Copilot)",
    );
  }
  const token = await signCopilotToken(
    {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      role: ctx.role,
      expiresAt: Date.now() + COPILOT_TOKEN_TTL_MS,
    },
    deps.config.copilot.internalSecret,
  );
  return { copilot: deps.copilot, token };
}
