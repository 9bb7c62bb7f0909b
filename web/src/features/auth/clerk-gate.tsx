import { ClerkProvider, Show, SignIn, useAuth, useClerk } from "@clerk/react";
import type * as React from "react";
import { setCredentials } from "@/api/client";
import { TenantGate } from "./tenant-gate";

/**
 * Sign-in through Clerk, loaded only when the server has a publishable key (it is large, and a
 * console running with the development bypass never needs it).
 */
export default function ClerkGate({
  publishableKey,
  children,
}: {
  publishableKey: string;
  children: React.ReactNode;
}) {
  return (
    <ClerkProvider publishableKey={publishableKey}>
      <Show when="signed-in">
        <SignedIn>{children}</SignedIn>
      </Show>
      <Show when="signed-out">
        <main className="flex min-h-dvh items-center justify-center bg-muted/40 p-4">
          <SignIn routing="hash" />
        </main>
      </Show>
    </ClerkProvider>
  );
}

function SignedIn({ children }: { children: React.ReactNode }) {
  const { getToken } = useAuth();
  const clerk = useClerk();
  setCredentials({ getToken: () => getToken() });
  return (
    <TenantGate devBypass={false} signOut={() => void clerk.signOut()}>
      {children}
    </TenantGate>
  );
}
