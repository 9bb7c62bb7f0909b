import { CircleAlertIcon, CircleCheckIcon, XIcon } from "lucide-react";
import { Toast as ToastPrimitive } from "radix-ui";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { cn } from "@/lib/utils";

export interface ToastMessage {
  id: number;
  title: string;
  description?: string;
  tone: "success" | "error";
}

type Notify = (message: Omit<ToastMessage, "id">) => void;

const ToastContext = React.createContext<Notify>(() => {});

/** Shows short messages (success, or a problem's sentence) at the corner of the screen. */
export function useToast() {
  return React.useContext(ToastContext);
}

export function Toaster({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const [messages, setMessages] = React.useState<ToastMessage[]>([]);
  const nextId = React.useRef(0);
  const notify = React.useCallback<Notify>((message) => {
    nextId.current += 1;
    setMessages((current) => [...current.slice(-3), { ...message, id: nextId.current }]);
  }, []);
  const dismiss = (id: number) => setMessages((current) => current.filter((message) => message.id !== id));

  return (
    <ToastContext.Provider value={notify}>
      <ToastPrimitive.Provider swipeDirection="right" duration={6000}>
        {children}
        {messages.map((message) => (
          <ToastPrimitive.Root
            key={message.id}
            onOpenChange={(open) => !open && dismiss(message.id)}
            type={message.tone === "error" ? "foreground" : "background"}
            className={cn(
              "group pointer-events-auto relative flex w-full items-start gap-3 rounded-lg border bg-card p-4 pr-8 shadow-lg",
              message.tone === "error" && "border-destructive/40",
            )}
          >
            {message.tone === "error" ? (
              <CircleAlertIcon className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
            ) : (
              <CircleCheckIcon className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
            )}
            <div className="grid gap-1">
              <ToastPrimitive.Title className="text-sm font-semibold">{message.title}</ToastPrimitive.Title>
              {message.description && (
                <ToastPrimitive.Description className="text-sm text-muted-foreground">
                  {message.description}
                </ToastPrimitive.Description>
              )}
            </div>
            <ToastPrimitive.Close
              aria-label={t("common.close")}
              className="absolute top-3 right-3 rounded-sm opacity-60 hover:opacity-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
            >
              <XIcon className="size-4" />
            </ToastPrimitive.Close>
          </ToastPrimitive.Root>
        ))}
        <ToastPrimitive.Viewport className="fixed right-0 bottom-0 z-[100] flex max-h-screen w-full flex-col gap-2 p-4 sm:max-w-sm" />
      </ToastPrimitive.Provider>
    </ToastContext.Provider>
  );
}
