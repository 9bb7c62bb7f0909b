import { beforeAll, describe, expect, it } from "vitest";
import { i18n, initI18n } from "@/i18n";
import { starterLabel } from "./starter";

beforeAll(async () => {
  initI18n();
  await i18n.changeLanguage("en");
});

describe("who started a conversation", () => {
  const t = (...args: Parameters<typeof i18n.t>) => i18n.t(...args);
  it("says you, a member's e-mail, an API key's name or a website visitor", () => {
    const of = (started_by: Parameters<typeof starterLabel>[0]["started_by"], mine = false) =>
      starterLabel({ started_by, started_by_me: mine }, t as never);
    expect(of({ type: "user", id: "user_1", name: "ana@example.com" }, true)).toBe("You");
    expect(of({ type: "user", id: "user_1", name: "ana@example.com" })).toBe("ana@example.com");
    expect(of({ type: "user", id: "user_2", name: null })).toBe("Member user_2");
    expect(of({ type: "api_key", id: "key_1", name: "backend" })).toBe("API key backend");
    expect(of({ type: "visitor", id: "vis_1", name: null })).toBe("Website visitor");
    expect(of(null)).toBe("Unknown");
  });

  it("says it in French too", async () => {
    await i18n.changeLanguage("fr");
    expect(
      starterLabel(
        { started_by: { type: "visitor", id: "v", name: null }, started_by_me: false },
        t as never,
      ),
    ).toBe("Visiteur du site");
    await i18n.changeLanguage("en");
  });
});
