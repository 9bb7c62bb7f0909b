-- Full-text index over chunk text, ranked with bm25(). External content: the text lives once,
-- in `chunks`; triggers keep the index in step (cascaded deletes fire them too).
-- Chunks are never updated in place (their id is derived from their content), so no UPDATE trigger.
CREATE VIRTUAL TABLE `chunks_fts` USING fts5(
	`text`,
	content='chunks',
	content_rowid='rowid',
	tokenize='porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `chunks_fts_after_insert` AFTER INSERT ON `chunks` BEGIN
	INSERT INTO `chunks_fts` (rowid, `text`) VALUES (new.rowid, new.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `chunks_fts_after_delete` AFTER DELETE ON `chunks` BEGIN
	INSERT INTO `chunks_fts` (`chunks_fts`, rowid, `text`) VALUES ('delete', old.rowid, old.`text`);
END;
