import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { api } from "@/api/client";
import { Toaster } from "@/components/ui/toast";
import { i18n, initI18n } from "@/i18n";
import { rememberedTenant } from "./tenant-context";
import { TenantGate } from "./tenant-gate";

const joined = { id: "ten_joined", name: "Atelier Dupont", plan: "free", created_at: "2026-12-01T00:00:00Z" };
const invitation = {
  id: "inv_1",
  tenant_id: joined.id,
  tenant_name: joined.name,
  email: "camille@example.com",
  role: "member",
  expires_at: "2026-12-14T00:00:00Z",
  created_at: "2026-12-07T00:00:00Z",
};

type Reply = Awaited<ReturnType<typeof api.GET>>;
const reply = (data: unknown) => ({ data, response: new Response() }) as unknown as Reply;

beforeAll(async () => {
  initI18n();
  await i18n.changeLanguage("en");
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  localStorage.clear();
});

describe("TenantGate", () => {
  it("lets someone invited before having a workspace accept the invitation and enter that workspace", async () => {
    let accepted = false;
    vi.spyOn(api, "GET").mockImplementation(((path: string) => {
      if (path === "/api/v1/tenants") {
        return Promise.resolve(reply({ data: accepted ? [joined] : [], next_cursor: null }));
      }
      if (path === "/api/v1/user/invitations") {
        return Promise.resolve(reply({ data: accepted ? [] : [invitation], next_cursor: null }));
      }
      throw new Error(`unexpected GET ${path}`);
    }) as unknown as typeof api.GET);
    const post = vi.spyOn(api, "POST").mockImplementation(((path: string) => {
      if (path !== "/api/v1/user/invitations/{invitation_id}/accept")
        throw new Error(`unexpected POST ${path}`);
      accepted = true;
      return Promise.resolve(reply(joined));
    }) as unknown as typeof api.POST);

    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <Toaster>
          <TenantGate devBypass={false}>
            <p>Inside the workspace</p>
          </TenantGate>
        </Toaster>
      </QueryClientProvider>,
    );

    await screen.findByText("No workspace yet: create the first one below.");
    await screen.findByText("Atelier Dupont, as Member");
    fireEvent.click(screen.getByRole("button", { name: "Accept" }));
    await screen.findByText("Inside the workspace");
    expect(post).toHaveBeenCalledWith("/api/v1/user/invitations/{invitation_id}/accept", {
      params: { path: { invitation_id: "inv_1" } },
    });
    // Remembered, so that the next visit opens it too.
    expect(rememberedTenant.get()).toBe(joined.id);
  });
});
