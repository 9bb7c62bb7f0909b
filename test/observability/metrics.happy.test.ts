import { describe, expect, it } from "vitest";
import {
  AnalyticsEngineMetrics,
  createMetrics,
  noMetrics,
} from "../../src/providers/metrics/analytics-engine";
import { consumeIngestBatch } from "../../src/queues/ingest.consumer";
import { TurnFigures } from "../../src/services/chat/turn-figures";
import { fakeAnalyticsEngine } from "../fakes/analytics-engine";
import { depsDroppingMessages, queuedDocument } from "../helpers/ingestion";
import { createTenant } from "../helpers/tenants";

describe("metrics per tenant", () => {
  it("records a chat turn's figures per tenant and assistant, and a failed turn's code", () => {
    const metrics = fakeAnalyticsEngine();
    const sink = new AnalyticsEngineMetrics(metrics.dataset);
    const spec = {
      turnId: "trn_1",
      tenantId: "ten_a",
      actor: { type: "api_key" as const, keyId: "key_1" },
      role: "admin" as const,
      requestId: "req_1",
      assistantId: "ast_1",
      conversationId: "cnv_1",
      userMessageId: "msg_1",
      assistantMessageId: "msg_2",
      message: "what is in the docs?",
      createdAt: new Date().toISOString(),
    };
    const answered = new TurnFigures(spec);
    answered.observe({ type: "citations", citations: [] });
    answered.observe({ type: "delta", text: "It" });
    answered.observe({ type: "delta", text: " says" });
    answered.observe({
      type: "done",
      answer: "It says",
      citations: [],
      usage: { promptTokens: 10, completionTokens: 2, totalTokens: 12, estimated: false },
      model: "m",
      finishReason: "stop",
    });
    sink.record(answered.metric());
    const failed = new TurnFigures({ ...spec, assistantId: "ast_2" });
    failed.observe({ type: "error", error: { code: "upstream_error", detail: "no", extensions: {} } });
    sink.record(failed.metric());

    const [ok, ko] = metrics.of("chat_turn");
    expect(ok).toMatchObject({ indexes: ["ten_a"], blobs: ["chat_turn", "ten_a", "ast_1", "", ""] });
    expect(ok?.doubles?.[0]).toBe(1);
    expect(ok?.doubles?.[4]).toBe(12);
    expect(ok?.doubles?.[2]).toBeGreaterThanOrEqual(ok?.doubles?.[3] ?? Number.NaN);
    expect(ko).toMatchObject({ blobs: ["chat_turn", "ten_a", "ast_2", "", "upstream_error"] });
    // Nothing of the question or the answer is in a data point.
    expect(JSON.stringify(metrics.points)).not.toMatch(/docs|says/);
  });

  it("counts the pages an ingestion indexed for its tenant", async () => {
    const tenant = await createTenant();
    const message = await queuedDocument(tenant, "pdf/tracemonkey.pdf");
    const metrics = fakeAnalyticsEngine();
    const { deps: base } = depsDroppingMessages({ metrics: createMetrics(metrics.dataset) });
    // Five of its fourteen pages a batch: the first batch indexes five.
    const deps = { ...base, config: { ...base.config, ingest: { ...base.config.ingest, pagesPerBatch: 5 } } };
    const delivered = { id: "m1", timestamp: new Date(), body: message, attempts: 1, ack() {}, retry() {} };
    await consumeIngestBatch(
      { queue: "ancre-ingest", messages: [delivered] } as unknown as MessageBatch,
      deps,
    );
    const [point] = metrics.of("ingest");
    expect(point).toMatchObject({ indexes: [tenant.id], blobs: ["ingest", tenant.id, "", "", ""] });
    expect(point?.doubles?.[0]).toBe(5);
    // A cold runtime loads pdf.js and parses five pages: as long as the other PDF ingestion tests.
  }, 60_000);

  it("writes nothing, and fails nothing, without a binding", () => {
    expect(createMetrics(undefined)).toBe(noMetrics);
    const refusing = new AnalyticsEngineMetrics({
      writeDataPoint() {
        throw new Error("over the limit");
      },
    });
    expect(() => refusing.record({ type: "ingest", tenantId: "t", pages: 1, durationMs: 1 })).not.toThrow();
  });
});
