import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SearchShardDurableObject } from "../../src/durable-objects/search-shard.do";
import { vectorIndexName } from "../../src/providers/vector/embedded-store";
import { shardRows } from "../helpers/shards";
import { createTenant } from "../helpers/tenants";

// The chunk tables as releases before languages made them: `text` indexed by the porter tokenizer.
const LEGACY_SCHEMA = `
  CREATE TABLE chunks (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, collection_id TEXT NOT NULL,
    document_id TEXT NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL, page_start INTEGER,
    page_end INTEGER, section TEXT, page_offsets TEXT, token_count INTEGER NOT NULL,
    generation INTEGER NOT NULL
  );
  CREATE TABLE chunk_documents (id TEXT PRIMARY KEY, filename TEXT NOT NULL);
  CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, content='chunks', content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER chunks_fts_after_insert AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts (rowid, text) VALUES (new.seq, new.text);
  END;
  CREATE TRIGGER chunks_fts_after_delete AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.seq, old.text);
  END;`;

const FRENCH =
  "Les chercheurs ont évalué l'approche sur trois jeux de données publics et comparé les résultats obtenus.";
const GERMAN = "Die Forscher haben die Lieferungen der Fabrik im ganzen Winter gezählt und notiert.";

describe("a search shard made before languages", () => {
  it("keeps answering from its old index, analyses its chunks from alarms, then searches them per language", async () => {
    const tenant = await createTenant();
    const stub = env.SEARCH_SHARD.getByName(vectorIndexName(tenant.id));
    await runInDurableObject(stub, (_shard: SearchShardDurableObject, state) => {
      state.storage.sql.exec(LEGACY_SCHEMA);
      state.storage.sql.exec("INSERT INTO chunk_documents VALUES ('doc_fr', 'fr.txt'), ('doc_de', 'de.txt')");
      for (const [i, [documentId, text]] of [
        ["doc_fr", FRENCH],
        ["doc_de", GERMAN],
        ["doc_gone", "A document deleted before its chunks were analysed."],
      ].entries()) {
        state.storage.sql.exec(
          `INSERT INTO chunks (id, collection_id, document_id, position, text, token_count, generation)
           VALUES (?, 'col_1', ?, 0, ?, 20, 1)`,
          `chk_${i}`,
          documentId,
          text,
        );
      }
    });
    const keyword = (text: string) =>
      runInDurableObject(stub, (shard: SearchShardDurableObject) =>
        shard.search({ mode: "keyword", text, topK: 5, candidates: 5, keywordWeight: 1 }),
      );

    // Opened: still the English porter index, which knows "Lieferungen" but not "Lieferung".
    expect((await keyword("Lieferungen")).map((hit) => hit.documentId)).toEqual(["doc_de"]);
    expect(await keyword("Welche Lieferung kam zuerst?")).toEqual([]);

    // A chunk deleted before it was analysed is in the old index only.
    await runInDurableObject(stub, (shard: SearchShardDurableObject) =>
      shard.deleteChunksOfDocument("doc_gone"),
    );

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const analysed = await shardRows<{ id: string; language: string | null; terms: string | null }>(
      tenant.id,
      "SELECT id, language, terms FROM chunks ORDER BY id",
    );
    expect(analysed.map(({ id, language }) => [id, language])).toEqual([
      ["chk_0", "fr"],
      ["chk_1", "de"],
    ]);
    expect(analysed[0]!.terms).toContain("evalu");
    const legacy = await shardRows(tenant.id, "SELECT name FROM sqlite_master WHERE name LIKE 'chunks_fts%'");
    expect(legacy).toEqual([]);

    const [french] = await keyword("Comment se fait l'évaluation ?");
    expect(french).toMatchObject({ documentId: "doc_fr", language: "fr", text: FRENCH });
    const [german] = await keyword("Welche Lieferung kam zuerst?");
    expect(german).toMatchObject({ documentId: "doc_de", language: "de" });
    // Done: no alarm is left to run.
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });
});
