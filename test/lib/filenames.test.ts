import { describe, expect, it } from "vitest";
import { attachmentDisposition, MAX_FILENAME_BYTES, normaliseFilename } from "../../src/lib/filenames";

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

describe("normaliseFilename", () => {
  it("keeps an ordinary name as it is", () => {
    expect(normaliseFilename("Rapport annuel 2025 (v2).pdf")).toBe("Rapport annuel 2025 (v2).pdf");
    expect(normaliseFilename("日本語のメモ.md")).toBe("日本語のメモ.md");
  });

  it("keeps only the last path segment", () => {
    expect(normaliseFilename("../../etc/passwd.txt")).toBe("passwd.txt");
    expect(normaliseFilename("C:\\Users\\me\\notes.md")).toBe("notes.md");
  });

  it("removes control and bidirectional characters and collapses spaces", () => {
    expect(normaliseFilename("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(normaliseFilename("a\u0000b\r\n\tc  d\u0007.txt")).toBe("ab c d.txt");
    expect(normaliseFilename("lone\uD800surrogate.txt")).toBe("lonesurrogate.txt");
  });

  it("caps the name in UTF-8 bytes and keeps its extension", () => {
    const long = normaliseFilename(`${"x".repeat(60_000)}.pdf`);
    expect(utf8Length(long)).toBe(MAX_FILENAME_BYTES);
    expect(long.endsWith("xx.pdf")).toBe(true);
    const accented = normaliseFilename(`${"é".repeat(500)}.docx`);
    expect(utf8Length(accented)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    expect(accented).toMatch(/^é+\.docx$/);
    const emoji = normaliseFilename(`${"📄".repeat(100)}.txt`);
    expect(emoji).toMatch(/^(📄)+\.txt$/u);
  });

  it("falls back to `upload` when nothing usable is left", () => {
    for (const raw of ["", "   ", "..", "folder/", "\u0001\u0002"])
      expect(normaliseFilename(raw)).toBe("upload");
  });
});

describe("attachmentDisposition", () => {
  it("sends an attachment with an ASCII filename and the exact UTF-8 filename*", () => {
    expect(attachmentDisposition(`Résumé "final" (2)'s 100%.pdf`)).toBe(
      `attachment; filename="Resume _final_ (2)'s 100_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%20%282%29%27s%20100%25.pdf`,
    );
  });

  it("stays short for a name stored before names were bounded", () => {
    const header = attachmentDisposition(`${"名".repeat(200_000)}.txt`);
    expect(header.startsWith("attachment; ")).toBe(true);
    expect(header.length).toBeLessThan(1024);
  });
});
