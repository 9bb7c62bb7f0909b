import "@copilotkit/react-core/v2/styles.css";
import { CopilotChat, CopilotKit, useRenderTool } from "@copilotkit/react-core/v2";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { authHeaders, type Schemas } from "@/api/client";
import { KpiCards, KpiChart } from "./kpi-cards";

// Clerk's session tokens live about a minute: refresh the headers well before that.
const HEADERS_REFRESH_MS = 30_000;

/** The console's credentials for CopilotKit, whose `headers` must be read synchronously. */
function useAuthHeaders(): Record<string, string> | null {
  const [headers, setHeaders] = React.useState<Record<string, string> | null>(null);
  React.useEffect(() => {
    let live = true;
    const refresh = () => authHeaders().then((next) => live && setHeaders(next));
    refresh();
    const timer = setInterval(refresh, HEADERS_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return headers;
}

function parseKpis(result: string | undefined): Schemas["TenantKpis"] | null {
  try {
    const parsed = JSON.parse(result ?? "");
    return parsed?.usage && parsed?.documents && Array.isArray(parsed?.busiest_assistants) ? parsed : null;
  } catch {
    return null;
  }
}

/** Generative UI: when the model calls the KPI tool, its result shows as the panel's cards and chart. */
function KpiToolRenderer() {
  useRenderTool({
    name: "*",
    render: ({ name, status, result }: { name: string; status: string; result?: string }) => {
      if (name !== "get_kpis" || status !== "complete") return null;
      const kpis = parseKpis(result);
      return kpis ? (
        <div className="my-2 grid gap-3">
          <KpiCards kpis={kpis} />
          <KpiChart kpis={kpis} />
        </div>
      ) : null;
    },
  });
  return null;
}

/** CopilotKit's chat on the copilot runtime the API forwards to (this chunk carries CopilotKit). */
export default function CopilotChatPanel({ runtimeUrl }: { runtimeUrl: string }) {
  const { t } = useTranslation();
  const headers = useAuthHeaders();
  const current = React.useRef(headers);
  current.current = headers;
  if (!headers) return null;
  return (
    <CopilotKit runtimeUrl={runtimeUrl} headers={() => current.current ?? {}}>
      <KpiToolRenderer />
      <div className="h-[28rem]">
        {/* CopilotKit's icon buttons have no accessible name of their own. */}
        <CopilotChat
          input={{
            sendButton: { "aria-label": t("copilot.chatSend") },
            addMenuButton: { "aria-label": t("copilot.chatAttach") },
          }}
          scrollView={{ scrollToBottomButton: { "aria-label": t("copilot.chatScrollToBottom") } }}
        />
      </div>
    </CopilotKit>
  );
}
