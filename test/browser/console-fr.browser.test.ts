import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { captureAtWidths, openDesktopPage } from "./harness";

/** The page as it is now, once what loads has loaded, captured and checked at both widths (see `captureAtWidths`). */
async function shoot(page: Page, name: string, fullPage = true) {
  await page.waitForLoadState("networkidle");
  await page.locator("main .animate-pulse").first().waitFor({ state: "detached", timeout: 15_000 });
  await captureAtWidths(page, `console-fr-${name}`, { fullPage });
}

const tracemonkey = fileURLToPath(new URL("../../../shared/corpus/pdf/tracemonkey.pdf", import.meta.url));

const note = [
  "# Guide de l'atelier",
  "",
  "L'atelier ouvre à huit heures et ferme à dix-huit heures, du lundi au vendredi.",
  "Les outils se rangent dans l'armoire bleue, au fond de la salle, après chaque usage.",
].join("\n");

// A Windows program renamed .pdf: the MZ header of every .exe, then zeros.
const program = Buffer.alloc(4096);
program.set([0x4d, 0x5a, 0x90, 0x00, 0x03]);

/** Every visible word of the page that is one of the English ones the French console must not show. */
async function englishLeftovers(page: Page): Promise<string[]> {
  const text = await page.locator("body").innerText();
  return [
    "Uploaded",
    "Failed",
    "Queued",
    "Ready",
    "Free plan",
    "LLM tokens",
    "top_k",
    "chunks",
    " bytes",
    "0 B",
  ].filter((word) => text.includes(word));
}

describe("the console in French: workspace, collection, upload, assistant, question, members, billing", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const base = inject("devServerUrl");

  beforeAll(async () => {
    // The console follows the browser's language: a French browser gets the French console.
    ({ browser, context, page } = await openDesktopPage("fr-FR"));
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  });
  afterAll(() => browser?.close());

  it("creates a workspace and lands on an overview in French, with the Free plan named from the glossary", async () => {
    await page.goto(base);
    await page.getByLabel("Nom de l'espace de travail").fill(`Atelier ${Date.now()}`);
    await page.getByRole("button", { name: "Créer l'espace de travail" }).click();
    await page.getByRole("heading", { name: "Vue d'ensemble" }).waitFor();
    await page.getByText("Démarrer en trois étapes").waitFor();
    await page.getByText("Offre Gratuite").first().waitFor();
    await page.getByText("Jetons", { exact: true }).first().waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    await shoot(page, "overview");
  });

  it("uploads a note that becomes ready, and names a program renamed .pdf for what it is", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Collections" }).click();
    await page.getByRole("button", { name: "Nouvelle collection" }).first().click();
    await page.getByLabel("Nom").fill("Atelier");
    await page.getByRole("button", { name: "Créer", exact: true }).click();
    await page.getByRole("heading", { name: "Atelier" }).waitFor();

    await page.locator('input[type="file"]').setInputFiles([
      { name: "guide.md", mimeType: "text/markdown", buffer: Buffer.from(note) },
      { name: "installeur.pdf", mimeType: "application/pdf", buffer: program },
    ]);
    const uploads = page.getByRole("region", { name: "Envois" });
    const refused = uploads.getByRole("listitem").filter({ hasText: "installeur.pdf" });
    await refused.getByText("Non envoyé").waitFor();
    await refused
      .getByText("Ce fichier n'est pas un PDF : son contenu est un programme (un exécutable).")
      .waitFor();
    await refused.getByText(/Enregistrez-le ou exportez-le en \.pdf/).waitFor();
    // The sent file's line follows its document: the same state as the table's, ready in the end.
    const sent = uploads.getByRole("listitem").filter({ hasText: "guide.md" });
    await sent.getByText("Prêt").waitFor({ timeout: 60_000 });
    await page.getByRole("row").filter({ hasText: "guide.md" }).getByText("Prêt").waitFor();
    // Sizes in French units: "4 ko", never "B".
    await refused.getByText(/^4\s?ko$/).waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    await shoot(page, "collection");
  }, 90_000);

  it("creates an assistant whose card reads « Température 0,2 · 5 passages »", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Assistants" }).click();
    await page.getByRole("button", { name: "Nouvel assistant" }).first().click();
    await page.getByLabel("Nom").fill("Guide de l'atelier");
    await page.getByRole("checkbox", { name: "Atelier" }).check();
    await page.getByRole("button", { name: "Créer l'assistant" }).click();
    await page.getByRole("heading", { name: "Guide de l'atelier" }).waitFor();
    await page
      .getByText(/^Température \d+(,\d+)? · \d+ passages?$/)
      .first()
      .waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    await shoot(page, "assistants");
  });

  it("asks the assistant in the Bac à sable and gets an answer citing the note", async () => {
    await page.getByRole("link", { name: "Discuter" }).click();
    await page.getByRole("textbox", { name: "Message" }).fill("À quelle heure ouvre l'atelier ?");
    await page.getByRole("button", { name: "Envoyer" }).click();
    const source = page.getByRole("list", { name: "Sources" }).getByRole("button").first();
    await source.waitFor({ timeout: 60_000 });
    expect(await source.getAttribute("aria-label")).toMatch(/^Source 1 : guide\.md/);
    await expect
      .poll(() => page.getByRole("button", { name: "Envoyer" }).count(), { timeout: 60_000 })
      .toBe(1);
    expect(await page.getByTestId("answer-text").innerText()).toMatch(/huit heures/);
    await shoot(page, "playground", false);
  }, 120_000);

  it("searches a paper for an author and shows its title page marked « Page de titre »", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Collections" }).click();
    await page.getByRole("link", { name: "Atelier" }).first().click();
    await page.locator('input[type="file"]').setInputFiles(tracemonkey);
    await page
      .getByRole("row")
      .filter({ hasText: "tracemonkey.pdf" })
      .getByText("Prêt")
      .waitFor({ timeout: 90_000 });

    await page.getByRole("navigation").getByRole("link", { name: "Recherche" }).click();
    await page.getByLabel("Recherche", { exact: true }).first().fill("Andreas Gal");
    await page.getByRole("button", { name: "Rechercher", exact: true }).click();
    await page.getByText("Page de titre", { exact: true }).first().waitFor();
    await page.getByText("Références", { exact: true }).first().waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    await shoot(page, "search-author");
  }, 150_000);

  it("gives the link of an invitation to share when the server sends no e-mail", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Membres" }).click();
    // The only owner is told why there is no « Quitter ».
    await page.getByText(/Vous êtes le seul propriétaire/).waitFor();
    expect(await page.getByRole("button", { name: "Quitter" }).count()).toBe(0);
    await page.getByRole("button", { name: "Inviter quelqu'un" }).first().click();
    await page.getByLabel("E-mail").fill("camille@example.com");
    await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
    const dialog = page.getByRole("dialog", { name: "Partagez ce lien d'invitation" });
    const link = await dialog.getByRole("textbox", { name: "Lien d'invitation" }).inputValue();
    expect(link).toMatch(new RegExp(`^${base}/invitations\\?invitation=inv_`));
    await dialog.getByRole("button", { name: "Copier le lien d'invitation" }).click();
    await dialog.getByText("Copié").waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(link);
    await shoot(page, "invitation-link", false);
    await dialog.getByRole("button", { name: "Terminé" }).click();
    await page.getByRole("cell", { name: "camille@example.com" }).first().waitFor();
  });

  it("says the workspace has no billing, and where an owner sets it up", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Facturation" }).click();
    await page.getByText("Cet espace n'a pas de facturation").waitFor();
    await page.getByText(/STRIPE_SECRET_KEY/).waitFor();
    expect(await page.getByRole("button", { name: "Passer à Pro" }).count()).toBe(0);
    // Nothing suggests an upgrade there is no way to make.
    expect(await page.getByText(/Passez à Pro/).count()).toBe(0);
    expect(await englishLeftovers(page)).toEqual([]);
    await shoot(page, "billing");
  });
});
