import type { TestProject } from "vitest/node";
import { buildWidget } from "../scripts/build-widget";
import { startClerkFake } from "./fakes/clerk-jwks";
import { startOpenAiFake } from "./fakes/openai";
import { startOpenAiChatFake } from "./fakes/openai-chat";
import { startQdrantFake } from "./fakes/qdrant";
import "./provided-context";
import { startStaticServer } from "./fakes/static-files";
import { startStripeFake } from "./fakes/stripe";
import { startWebhookReceiver } from "./fakes/webhook-receiver";
import { sharedPath } from "./shared-data";

/** Starts the local fakes of external HTTP APIs once for the whole run and hands their URLs to tests. */
export default async function setup(project: TestProject) {
  // The Worker imports the built widget script: it must exist before any test loads the Worker.
  await buildWidget();
  const clerk = await startClerkFake();
  project.provide("clerk", clerk.fake);
  const corpus = await startStaticServer(sharedPath("corpus"));
  project.provide("corpusUrl", corpus.url);
  const original = await startStaticServer(sharedPath("original"));
  project.provide("originalUrl", original.url);
  const openai = await startOpenAiFake();
  project.provide("openai", openai.fake);
  const qdrant = await startQdrantFake();
  project.provide("qdrantUrl", qdrant.url);
  const openaiChat = await startOpenAiChatFake();
  project.provide("openaiChatUrl", openaiChat.baseUrl);
  const stripe = await startStripeFake();
  project.provide("stripe", stripe.fake);
  const webhookReceiver = await startWebhookReceiver();
  project.provide("webhookReceiverUrl", webhookReceiver.url);
  return async () => {
    await webhookReceiver.close();
    await stripe.server.close();
    await openaiChat.server.close();
    await openai.server.close();
    await qdrant.server.close();
    await clerk.server.close();
    await corpus.close();
    await original.close();
  };
}
