import { describe, expect, it } from "vitest";
import { WidgetSchema } from "../../src/routes/widgets/widgets.schemas";
import { createAssistant, createTenant } from "../helpers/tenants";
import { publishWidget, sessionRequest } from "../helpers/widgets";

describe("the sites a widget refused, across tenants", () => {
  it("are another tenant's 404, to read and to allow, and are kept per widget", async () => {
    const owner = await createTenant();
    const assistant = await createAssistant(owner, []);
    const { publishable_key: key } = await publishWidget(owner, assistant.id);
    await sessionRequest("https://shop.example", { key: key! });

    const intruder = await createTenant();
    const theirs = await createAssistant(intruder, []);
    await publishWidget(intruder, theirs.id);
    const read = await intruder.client.expectProblem(404, "GET", `assistants/${assistant.id}/widget`);
    expect(read.code).toBe("not_found");
    await intruder.client.expectProblem(404, "POST", `assistants/${assistant.id}/widget/allowed-origins`, {
      json: { origin: "https://intruder.example" },
    });
    const own = await intruder.client.expectJson(200, "GET", `assistants/${theirs.id}/widget`, WidgetSchema);
    expect(own.refused_origins).toEqual([]);

    const widget = await owner.client.expectJson(
      200,
      "GET",
      `assistants/${assistant.id}/widget`,
      WidgetSchema,
    );
    expect(widget.allowed_origins).not.toContain("https://intruder.example");
    expect(widget.refused_origins.map(({ origin }) => origin)).toEqual(["https://shop.example"]);
  });
});
