import type { integrationsEn } from "./integrations.en";

/** Les textes de la page Intégrations et du panneau du copilote. */
export const integrationsFr: typeof integrationsEn = {
  integrations: {
    description:
      "Importez les fichiers de vos outils dans une collection, et gardez-la à jour avec la source.",
    connected: "Connecté",
    failed: "En échec",
    notConnected: "Non connecté",
    connectedSince: "Connecté le {{date}}",
    about: {
      "google-drive": "Les fichiers de Drive, Google Docs et Slides exportés.",
      notion: "Les pages Notion, importées en Markdown.",
    },
    connect: "Connecter {{provider}}",
    connectDescription:
      "La fenêtre Connect de Nango s'ouvre dans un nouvel onglet : connectez-vous au service et autorisez l'accès. La connexion apparaît ici dès que Nango prévient Ancre (son webhook), en général en quelques secondes.",
    openConnect: "Ouvrir Connect",
    openAgain: "Rouvrir Connect",
    noLink: "Nango n'a pas donné de lien vers sa fenêtre Connect. Le jeton de session :",
    waiting:
      "En attente de Nango… Si le webhook n'est pas configuré, collez l'identifiant de connexion affiché par Nango pour l'enregistrer tout de suite.",
    connectionId: "Identifiant de connexion",
    record: "Enregistrer",
    disconnect: "Déconnecter",
    disconnectTitle: "Déconnecter {{provider}} ?",
    disconnectDescription:
      "La connexion est supprimée dans Nango et ici. Les documents déjà importés restent dans leur collection.",
    syncInto: "Importer dans",
    sync: "Synchroniser",
    noCollection: "Créez d'abord une collection : une synchronisation y importe les fichiers.",
    syncProgress: "Progression de la synchronisation",
    listing: "Liste des fichiers…",
    filesHandled: "{{handled}} fichiers sur {{found}}",
    failures_one: "{{count}} fichier non importé",
    failures_other: "{{count}} fichiers non importés",
    status: {
      queued: "En file",
      listing: "Inventaire",
      importing: "Import",
      removing: "Suppression",
      completed: "Terminée",
      stopped: "Arrêtée",
      failed: "En échec",
    },
    counters: {
      added: "Ajoutés",
      updated: "Mis à jour",
      unchanged: "Inchangés",
      skipped: "Ignorés",
      failed: "En échec",
      removed: "Supprimés",
    },
    fileStatus: {
      pending: "En attente",
      added: "Ajouté",
      updated: "Mis à jour",
      unchanged: "Inchangé",
      skipped: "Ignoré",
      failed: "En échec",
    },
    setupTitle: "Les connecteurs ne sont pas configurés sur ce serveur",
    setupDescription:
      "Ancre se connecte à Google Drive et Notion par Nango (auto-hébergé ou cloud). Un opérateur le configure une fois :",
    setupUrl: "Indiquez l'adresse de Nango dans",
    setupSecret: "Mettez la clé secrète de l'environnement Nango dans",
    setupIntegrations: "Créez les intégrations dans Nango, avec ces identifiants :",
    setupWebhook: "Réglez l'URL du webhook de Nango sur",
    setupWebhookSecret: "Mettez le secret de signature du webhook de Nango dans",
    setupRestart: "Puis déployez (ou relancez wrangler dev) et revenez sur cette page.",
  },
  copilot: {
    open: "Demander au copilote",
    title: "Copilote",
    description: "Les chiffres de votre espace, et un copilote à qui poser vos questions.",
    kpisTitle: "Cette période",
    figures: {
      documents: "Documents",
      chunks: "Passages indexés",
      storage_bytes: "Stockage utilisé",
      chat_messages: "Messages sur la période",
      llm_tokens: "Jetons sur la période",
      ingested_pages: "Pages indexées sur la période",
    },
    chartTitle: "Cette période comparée à la précédente",
    previous: "Période précédente",
    current: "Cette période",
    trend: "{{sign}}{{percent}} % par rapport à la période précédente",
    ofLimit: "sur {{limit}}",
    modelNeededTitle: "Le chat a besoin d'un modèle",
    modelNeededMember:
      "Le chat du copilote a besoin d'un modèle de langage, qu'un propriétaire ou un administrateur du serveur met en place. Les chiffres ci-dessus n'en ont pas besoin.",
    modelNeeded:
      "Le copilote répond avec un modèle de langage. Donnez-lui en un dans copilot/.dev.vars (en local) ou en secret du Worker copilot : OPENAI_API_KEY, avec OPENAI_BASE_URL pour tout serveur compatible OpenAI (Workers AI compris) et LLM_MODEL. Les chiffres ci-dessus n'ont pas besoin de modèle.",
    chatLoading: "Chargement du chat…",
    chatSend: "Envoyer",
    chatAttach: "Joindre des fichiers",
    chatScrollToBottom: "Aller au dernier message",
    unreachableTitle: "Le chat du copilote est injoignable",
    unreachable:
      "Le Worker du copilote n'a pas répondu (HTTP {{status}}). `npm run dev` le lance à côté de l'API ; le déploiement livre les deux.",
  },
};
