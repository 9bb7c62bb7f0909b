import type { Config } from "../../config";
import { AppError } from "../../errors";

export type ClerkBackendConfig = NonNullable<Config["clerkBackend"]>;

/**
 * Asks Clerk to e-mail an invitation (Backend API `POST /v1/invitations`): the e-mail's link signs
 * the invitee up or in, then lands on `redirectUrl`, the console page where the invitation waits.
 * `ignore_existing`: Clerk refuses a second invitation to a pending address otherwise, while Ancre
 * keeps its own invitations (one per workspace).
 */
export async function sendClerkInvitation(
  clerk: ClerkBackendConfig,
  input: { email: string; redirectUrl: string; tenantId: string; invitationId: string },
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(new URL("/v1/invitations", clerk.apiUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${clerk.secretKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        email_address: input.email,
        redirect_url: input.redirectUrl,
        public_metadata: { ancre_tenant_id: input.tenantId, ancre_invitation_id: input.invitationId },
        notify: true,
        ignore_existing: true,
      }),
    });
  } catch (error) {
    throw new AppError(
      "upstream_error",
      `Clerk could not be reached to send the invitation: ${String(error)}`,
    );
  }
  if (!response.ok) {
    const body = (await response.text()).slice(0, 500);
    throw new AppError("upstream_error", `Clerk refused the invitation (HTTP ${response.status}): ${body}`);
  }
}
