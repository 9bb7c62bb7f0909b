import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Tenant, TenantContext } from "@/features/auth/tenant-context";
import { i18n, initI18n } from "@/i18n";
import type { Member } from "./api";
import { MemberTable } from "./components/member-table";

const member = (id: string, email: string, role: Member["role"], isCaller = false): Member => ({
  id,
  user_id: `user_${id}`,
  email,
  role,
  is_caller: isCaller,
  created_at: "2026-12-01T00:00:00.000Z",
});

function renderTable(members: Member[]) {
  const tenant = { id: "ten_1", name: "Atelier", plan: "free", role: "owner" } as Tenant;
  render(
    <QueryClientProvider client={new QueryClient()}>
      <TenantContext.Provider value={{ tenant, tenants: [tenant], switchTenant: () => {} }}>
        <MemberTable members={members} callerRole="owner" />
      </TenantContext.Provider>
    </QueryClientProvider>,
  );
}

beforeAll(async () => {
  initI18n();
  await i18n.changeLanguage("en");
});

afterEach(cleanup);

describe("the members table", () => {
  it("does not offer Leave to the only owner, and says why", () => {
    renderTable([member("1", "alice@example.com", "owner", true), member("2", "bob@example.com", "member")]);
    expect(screen.queryByRole("button", { name: "Leave" })).toBeNull();
    expect(screen.getByText(/only owner: make someone else owner/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Remove bob@example.com" })).toBeTruthy();
  });

  it("offers Leave to an owner when another owner remains", () => {
    renderTable([member("1", "alice@example.com", "owner", true), member("2", "carol@example.com", "owner")]);
    expect(screen.getByRole("button", { name: "Leave" })).toBeTruthy();
    expect(screen.queryByText(/only owner/)).toBeNull();
  });
});
