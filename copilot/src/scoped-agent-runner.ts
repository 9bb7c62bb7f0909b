import type {
  AgentRunner,
  AgentRunnerConnectRequest,
  AgentRunnerIsRunningRequest,
  AgentRunnerRunRequest,
  AgentRunnerStopRequest,
} from "@copilotkit/runtime/v2";
import type { Actor } from "../../src/auth/actor";
import type { CopilotGrant } from "../../src/auth/copilot-token";

const who = (actor: Actor): string => {
  switch (actor.type) {
    case "user":
    case "dev":
      return actor.userId;
    case "api_key":
      return actor.keyId;
    case "visitor":
      return actor.visitorId;
  }
};

/**
 * The key under which a thread of the grant's tenant and user (or API key) is kept. Thread ids are
 * chosen by browsers; two callers sending the same one still get two threads.
 */
export function threadKey(grant: CopilotGrant, threadId: string): string {
  return JSON.stringify([grant.tenantId, grant.actor.type, who(grant.actor), threadId]);
}

/**
 * CopilotKit's runner for one request: it hands the isolate's shared runner (whose in-memory store
 * knows no tenant) thread keys scoped to the tenant and user of the request's copilot token, so
 * that a run, and a stop, only ever reach that user's own threads. It offers none of the runtime's
 * local thread routes (listing, reading, clearing): the runtime refuses them.
 */
export class ScopedAgentRunner implements AgentRunner {
  constructor(
    private readonly shared: AgentRunner,
    private readonly grant: CopilotGrant,
  ) {}

  private key(threadId: string) {
    return threadKey(this.grant, threadId);
  }

  // Only the store's key changes: the agent's input, and so every event, keeps the browser's id.
  run(request: AgentRunnerRunRequest) {
    return this.shared.run({ ...request, threadId: this.key(request.threadId) });
  }

  connect(request: AgentRunnerConnectRequest) {
    return this.shared.connect({ ...request, threadId: this.key(request.threadId) });
  }

  isRunning(request: AgentRunnerIsRunningRequest) {
    return this.shared.isRunning({ ...request, threadId: this.key(request.threadId) });
  }

  stop(request: AgentRunnerStopRequest) {
    return this.shared.stop({ ...request, threadId: this.key(request.threadId) });
  }
}
