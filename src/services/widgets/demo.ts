import type { Deps, Identity, TenantContext } from "../../context";
import type { PageRequest } from "../../lib/pagination";
import { createAssistant, listAssistants } from "../assistants/assistants.service";
import { createCollection, listCollections } from "../collections/collections.service";
import { uploadDocument } from "../documents/documents.service";
import { createTenant, listTenants } from "../tenants/tenants.service";
import { getWidget, publishWidget } from "./widgets.service";

const DEMO = {
  tenant: "Ancre widget demo",
  collection: "Ancre handbook",
  assistant: "Ancre guide",
  filename: "ancre-handbook.md",
} as const;

const FIRST_PAGE: PageRequest = { limit: 100 };

/** The sample document the demo assistant answers from. */
const HANDBOOK = `# The Ancre handbook

Ancre is a multi-tenant retrieval-augmented generation service that runs on Cloudflare Workers. Its assistants answer questions from a tenant's documents and cite each source with its document, its page and an excerpt.

To embed the widget on a website, add one script tag with the assistant's publishable key to the page. The key grants nothing by itself: the assistant's owner lists the origins allowed to use the widget, and each visitor receives a short-lived token bound to the assistant, the page's origin and the visitor.

When a visitor is over budget, the widget tells them when they can ask again. Budgets count the messages of each visitor and of the whole assistant, per hour and per day, and widget traffic still counts against the tenant's plan.

The supported document formats are PDF, DOCX, PPTX, HTML, Markdown and plain text. PDF pages and PPTX slides are kept, so that every citation says where its excerpt comes from.
`;

/** The demo tenant among all of the developer's tenants (there may be more than a page of them). */
async function findDemoTenant(identity: Identity, deps: Deps) {
  for (let after: string | undefined; ; ) {
    const page = await listTenants({ identity, deps, input: { page: { ...FIRST_PAGE, after } } });
    const demo = page.find((tenant) => tenant.name === DEMO.tenant);
    if (demo || page.length < FIRST_PAGE.limit) return demo;
    after = page.at(-1)?.id;
  }
}

/**
 * Makes sure the development demo exists, creating what is missing (a tenant, a collection with the
 * handbook, an assistant and its widget allowed on `origin`), and returns the widget's key.
 * Idempotent: a second visit finds everything by name and only adds a new origin.
 */
export async function seedWidgetDemo({
  identity,
  deps,
  input,
}: {
  identity: Identity;
  deps: Deps;
  input: { origin: string; requestId: string };
}): Promise<string> {
  const tenant =
    (await findDemoTenant(identity, deps)) ??
    (await createTenant({ identity, deps, input: { name: DEMO.tenant } }));
  const ctx: TenantContext = {
    tenantId: tenant.id,
    actor: identity.actor,
    role: "owner",
    requestId: input.requestId,
  };

  const collection =
    (await listCollections({ ctx, deps, input: { page: FIRST_PAGE } })).find(
      (c) => c.name === DEMO.collection,
    ) ?? (await createCollection({ ctx, deps, input: { name: DEMO.collection } }));
  // The same content in the same collection is recognised and not ingested twice.
  await uploadDocument({
    ctx,
    deps,
    input: { collectionId: collection.id, filename: DEMO.filename, file: new Blob([HANDBOOK]) },
  });

  const assistant =
    (await listAssistants({ ctx, deps, input: { page: FIRST_PAGE } })).find(
      (a) => a.name === DEMO.assistant,
    ) ??
    (await createAssistant({
      ctx,
      deps,
      input: {
        name: DEMO.assistant,
        systemPrompt: "You answer questions about Ancre from its handbook.",
        collectionIds: [collection.id],
      },
    }));

  const widget = await getWidget({ ctx, deps, input: { assistantId: assistant.id } });
  if (widget.enabled && widget.publishableKey && widget.allowedOrigins.includes(input.origin)) {
    return widget.publishableKey;
  }
  const published = await publishWidget({
    ctx,
    deps,
    input: {
      assistantId: assistant.id,
      settings: {
        allowedOrigins: [...widget.allowedOrigins, input.origin],
        title: "Ancre guide",
        greeting: "Hello! I answer from the Ancre handbook. What would you like to know?",
        suggestedQuestions: [
          "How do I embed the widget?",
          "What happens when a visitor is over budget?",
          "Which document formats are supported?",
        ],
      },
    },
  });
  return published.publishableKey!;
}
