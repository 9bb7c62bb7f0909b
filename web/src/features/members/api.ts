import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/api/client";
import { useProblemToast } from "@/components/problem-alert";
import type { Tenant } from "@/features/auth/tenant-context";
import type { Role } from "./roles";

export type Member = Schemas["Member"];
export type Invitation = Schemas["Invitation"];
export type SentInvitation = Schemas["SentInvitation"];

/** Query keys of this feature, built in one place. */
export const memberKeys = {
  members: ["members"] as const,
  invitations: ["invitations"] as const,
  received: ["received-invitations"] as const,
};

export const membersQuery = () =>
  queryOptions({
    queryKey: memberKeys.members,
    queryFn: () => unwrap(api.GET("/api/v1/members", { params: { query: { limit: 100 } } })),
  });

export const invitationsQuery = () =>
  queryOptions({
    queryKey: memberKeys.invitations,
    queryFn: () => unwrap(api.GET("/api/v1/invitations", { params: { query: { limit: 100 } } })),
  });

/** Invitations addressed to the signed-in user, from other workspaces. */
export const receivedInvitationsQuery = () =>
  queryOptions({
    queryKey: memberKeys.received,
    queryFn: () => unwrap(api.GET("/api/v1/user/invitations")),
    retry: false,
  });

export const useMembers = () => useQuery(membersQuery());
export const useInvitations = () => useQuery(invitationsQuery());
export const useReceivedInvitations = () => useQuery(receivedInvitationsQuery());

export function useChangeRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) =>
      unwrap(
        api.PATCH("/api/v1/members/{member_id}", { params: { path: { member_id: id } }, body: { role } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.members }),
    onError: useProblemToast(),
  });
}

/** Removes a member, or the caller (leaving): `onLeft` then takes them out of the workspace. */
export function useRemoveMember({ onRemoved, onLeft }: { onRemoved: () => void; onLeft: () => unknown }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (target: Member) =>
      unwrap(api.DELETE("/api/v1/members/{member_id}", { params: { path: { member_id: target.id } } })),
    onSuccess: async (_, target) => {
      if (target.is_caller) return onLeft();
      await queryClient.invalidateQueries({ queryKey: memberKeys.members });
      onRemoved();
    },
  });
}

export function useInvite({ onInvited }: { onInvited: (invitation: SentInvitation) => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: Role }) => unwrap(api.POST("/api/v1/invitations", { body })),
    onSuccess: async (invitation) => {
      await queryClient.invalidateQueries({ queryKey: memberKeys.invitations });
      onInvited(invitation);
    },
  });
}

export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/invitations/{invitation_id}", { params: { path: { invitation_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.invitations }),
    onError: useProblemToast(),
  });
}

/** Accepting joins another workspace: every cached list may change, so all queries reload. */
export function useAcceptInvitation({ onJoined }: { onJoined: (tenant: Tenant) => void }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST("/api/v1/user/invitations/{invitation_id}/accept", {
          params: { path: { invitation_id: id } },
        }),
      ),
    onSuccess: async (tenant) => {
      onJoined(tenant);
      await queryClient.invalidateQueries();
    },
    onError: useProblemToast(),
  });
}
