import {
  BarChart3Icon,
  BotIcon,
  CircleHelpIcon,
  CreditCardIcon,
  FolderOpenIcon,
  InboxIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  type LucideIcon,
  MessagesSquareIcon,
  PlugIcon,
  ScrollTextIcon,
  SearchIcon,
  UsersIcon,
  WebhookIcon,
} from "lucide-react";
import type { en } from "@/i18n/en";

export interface NavItem {
  to: string;
  label: keyof typeof en.nav;
  icon: LucideIcon;
  /** Shown to owners and admins only. */
  overseers?: true;
}

/** Every page of the console, in the sidebar's order and groups. */
export const navigation: { group: keyof typeof en.nav | null; items: NavItem[] }[] = [
  {
    group: null,
    items: [{ to: "/", label: "overview", icon: LayoutDashboardIcon }],
  },
  {
    group: "build",
    items: [
      { to: "/collections", label: "collections", icon: FolderOpenIcon },
      { to: "/assistants", label: "assistants", icon: BotIcon },
      { to: "/playground", label: "playground", icon: MessagesSquareIcon },
      { to: "/conversations", label: "conversations", icon: InboxIcon, overseers: true },
      { to: "/search", label: "search", icon: SearchIcon },
      { to: "/integrations", label: "integrations", icon: PlugIcon },
    ],
  },
  {
    group: "operate",
    items: [
      { to: "/usage", label: "usage", icon: BarChart3Icon },
      { to: "/unanswered", label: "unanswered", icon: CircleHelpIcon },
      { to: "/billing", label: "billing", icon: CreditCardIcon },
      { to: "/api-keys", label: "apiKeys", icon: KeyRoundIcon },
      { to: "/members", label: "members", icon: UsersIcon },
      { to: "/webhooks", label: "webhooks", icon: WebhookIcon },
      { to: "/audit", label: "audit", icon: ScrollTextIcon },
    ],
  },
];
