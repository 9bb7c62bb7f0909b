/** English strings of the Audit log page. */
export const auditEn = {
  audit: {
    description: "Who did what to this workspace, and when. Events are kept 400 days.",
    emptyTitle: "Nothing recorded yet",
    emptyDescription:
      "Inviting members, creating or revoking API keys, publishing a widget or deleting an assistant will show here.",
    more: "Show more",
    when: "When",
    action: "What",
    actor: "Who",
    target: "On",
    actors: {
      user: "Member",
      api_key: "API key",
      dev: "Development",
      system: "Ancre",
    },
    actions: {
      member_invited: "Member invited",
      member_invitation_revoked: "Invitation revoked",
      member_role_changed: "Role changed",
      member_removed: "Member removed",
      api_key_created: "API key created",
      api_key_revoked: "API key revoked",
      widget_published: "Widget published",
      widget_key_rotated: "Widget key rotated",
      widget_disabled: "Widget disabled",
      assistant_deleted: "Assistant deleted",
      collection_deleted: "Collection deleted",
      plan_changed: "Plan changed",
      connection_created: "Connection made",
      connection_removed: "Connection removed",
      tenant_deletion_requested: "Workspace deletion requested",
    },
  },
};
