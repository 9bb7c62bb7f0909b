import type { auditEn } from "./audit.en";

/** Les textes de la page Journal d'audit. */
export const auditFr: typeof auditEn = {
  audit: {
    description: "Qui a fait quoi dans cet espace, et quand. Les événements sont gardés 400 jours.",
    emptyTitle: "Rien d'enregistré pour l'instant",
    emptyDescription:
      "Inviter des membres, créer ou révoquer des clés d'API, publier un widget ou supprimer un assistant s'affichera ici.",
    more: "Afficher plus",
    when: "Quand",
    action: "Quoi",
    actor: "Qui",
    target: "Sur",
    actors: {
      user: "Membre",
      api_key: "Clé d'API",
      dev: "Développement",
      system: "Ancre",
    },
    actions: {
      member_invited: "Membre invité",
      member_invitation_revoked: "Invitation révoquée",
      member_role_changed: "Rôle modifié",
      member_removed: "Membre retiré",
      api_key_created: "Clé d'API créée",
      api_key_revoked: "Clé d'API révoquée",
      widget_published: "Widget publié",
      widget_key_rotated: "Clé du widget renouvelée",
      widget_disabled: "Widget désactivé",
      assistant_deleted: "Assistant supprimé",
      collection_deleted: "Collection supprimée",
      plan_changed: "Offre modifiée",
      connection_created: "Connexion établie",
      connection_removed: "Connexion retirée",
      tenant_deletion_requested: "Suppression de l'espace demandée",
    },
  },
};
