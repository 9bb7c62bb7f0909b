import {
  AnchorIcon,
  BookOpenIcon,
  CheckIcon,
  ChevronsUpDownIcon,
  LanguagesIcon,
  LogOutIcon,
  MenuIcon,
  PlusIcon,
  XIcon,
} from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet, useLocation } from "react-router";
import { planName } from "@/api/problems";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Skeleton } from "@/components/ui/skeleton";
import { useTenant } from "@/features/auth/tenant-context";
import { LANGUAGES } from "@/i18n";
import { cn } from "@/lib/utils";
import { navigation } from "./navigation";

/** The signed-in frame: a sidebar (a drawer on phones) listing every page, and the page itself. */
export function AppLayout() {
  const { t } = useTranslation();
  const [menuOpen, setMenuOpen] = React.useState(false);
  const location = useLocation();
  const overseer = useTenant().tenant.role !== "member";
  // A page picked from the phone drawer closes it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation on purpose
  React.useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <div className="flex min-h-dvh">
      <aside
        className={cn(
          // From md up the sidebar runs the page's whole height (its background too), and its content
          // stays in view while the page scrolls.
          "fixed inset-y-0 left-0 z-40 w-64 border-r bg-sidebar transition-transform md:static md:shrink-0 md:translate-x-0",
          menuOpen ? "translate-x-0 shadow-xl" : "-translate-x-full",
        )}
      >
        <div className="flex h-full flex-col md:sticky md:top-0 md:h-dvh">
          <div className="flex h-14 items-center justify-between gap-2 px-4">
            <Brand />
            <Button
              variant="ghost"
              size="icon"
              className="md:hidden"
              aria-label={t("common.closeMenu")}
              onClick={() => setMenuOpen(false)}
            >
              <XIcon />
            </Button>
          </div>
          <div className="px-3 pb-2">
            <TenantSwitcher />
          </div>
          <nav aria-label={t("nav.main")} className="flex-1 overflow-y-auto px-3 py-2">
            {navigation.map((section) => (
              <div key={section.group ?? "top"} className="mb-4">
                {section.group && (
                  <p className="px-2 pb-1.5 text-[11px] font-medium uppercase tracking-wider text-muted-foreground">
                    {t(`nav.${section.group}`)}
                  </p>
                )}
                <ul className="grid gap-0.5">
                  {section.items
                    .filter((item) => overseer || !item.overseers)
                    .map((item) => (
                      <li key={item.to}>
                        <NavLink
                          to={item.to}
                          end={item.to === "/"}
                          className={({ isActive }) =>
                            cn(
                              "flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                              isActive && "bg-accent text-accent-foreground",
                            )
                          }
                        >
                          <item.icon className="size-4" aria-hidden />
                          {t(`nav.${item.label}`)}
                        </NavLink>
                      </li>
                    ))}
                </ul>
              </div>
            ))}
          </nav>
          <div className="flex items-center gap-1 border-t px-3 py-3">
            <Button variant="ghost" size="sm" asChild className="flex-1 justify-start text-muted-foreground">
              <a href="/docs" target="_blank" rel="noreferrer">
                <BookOpenIcon aria-hidden />
                {t("nav.docs")}
              </a>
            </Button>
            <LanguageMenu />
          </div>
        </div>
      </aside>
      {menuOpen && (
        <button
          type="button"
          aria-label={t("common.closeMenu")}
          className="fixed inset-0 z-30 bg-black/30 md:hidden"
          onClick={() => setMenuOpen(false)}
        />
      )}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-20 flex h-14 items-center gap-2 border-b bg-background/80 px-4 backdrop-blur md:hidden">
          <Button
            variant="ghost"
            size="icon"
            aria-label={t("common.openMenu")}
            onClick={() => setMenuOpen(true)}
          >
            <MenuIcon />
          </Button>
          <Brand />
        </header>
        <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
          <React.Suspense fallback={<PageSkeleton />}>
            <Outlet />
          </React.Suspense>
        </main>
      </div>
    </div>
  );
}

function Brand() {
  const { t } = useTranslation();
  return (
    <span className="flex items-center gap-2 font-semibold tracking-tight">
      <span className="flex size-7 items-center justify-center rounded-lg bg-primary text-primary-foreground">
        <AnchorIcon className="size-4" aria-hidden />
      </span>
      {t("common.appName")}
    </span>
  );
}

function TenantSwitcher() {
  const { t } = useTranslation();
  const { tenant, tenants, switchTenant, signOut } = useTenant();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <button
          type="button"
          className="flex w-full items-center gap-2.5 rounded-lg border bg-card px-2.5 py-2 text-left shadow-xs transition-colors hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
        >
          {/* The accessible name holds the visible text (the workspace and its plan), after what the button does. */}
          <span className="sr-only">{t("tenant.switch")}: </span>
          <span
            aria-hidden
            className="flex size-7 shrink-0 items-center justify-center rounded-md bg-primary/10 text-xs font-semibold text-primary uppercase"
          >
            {tenant.name.slice(0, 2)}
          </span>
          <span className="grid min-w-0 flex-1">
            <span className="truncate text-sm font-medium">{tenant.name}</span>
            <span className="truncate text-xs text-muted-foreground">
              {t("tenant.plan", { plan: planName(tenant.plan, t) })}
            </span>
          </span>
          <ChevronsUpDownIcon className="size-4 text-muted-foreground" aria-hidden />
        </button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-60">
        <DropdownMenuLabel>{t("tenant.switcher")}</DropdownMenuLabel>
        {tenants.map((candidate) => (
          <DropdownMenuItem key={candidate.id} onSelect={() => switchTenant(candidate.id)}>
            <span className="flex-1 truncate">{candidate.name}</span>
            {candidate.id === tenant.id && <CheckIcon aria-hidden />}
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => switchTenant(null)}>
          <PlusIcon aria-hidden />
          {t("tenant.createAction")}
        </DropdownMenuItem>
        {signOut && (
          <DropdownMenuItem onSelect={signOut}>
            <LogOutIcon aria-hidden />
            {t("tenant.signOut")}
          </DropdownMenuItem>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function LanguageMenu() {
  const { t, i18n } = useTranslation();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={t("common.language")} title={t("common.language")}>
          <LanguagesIcon />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuRadioGroup
          value={i18n.resolvedLanguage}
          onValueChange={(code) => void i18n.changeLanguage(code)}
        >
          {LANGUAGES.map((language) => (
            <DropdownMenuRadioItem key={language.code} value={language.code} lang={language.code}>
              {language.label}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

export function PageSkeleton() {
  return (
    <div className="grid gap-6" aria-busy="true">
      <Skeleton className="h-8 w-48" />
      <div className="grid gap-4 sm:grid-cols-3">
        <Skeleton className="h-28" />
        <Skeleton className="h-28" />
        <Skeleton className="h-28" />
      </div>
      <Skeleton className="h-64" />
    </div>
  );
}
