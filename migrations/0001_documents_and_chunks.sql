CREATE TABLE `chunks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`collection_id` text NOT NULL,
	`document_id` text NOT NULL,
	`position` integer NOT NULL,
	`text` text NOT NULL,
	`page_start` integer,
	`page_end` integer,
	`section` text,
	`token_count` integer NOT NULL,
	`generation` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `chunks_tenant_idx` ON `chunks` (`tenant_id`);--> statement-breakpoint
CREATE INDEX `chunks_document_idx` ON `chunks` (`document_id`,`position`);--> statement-breakpoint
CREATE INDEX `chunks_collection_idx` ON `chunks` (`collection_id`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`collection_id` text NOT NULL,
	`filename` text NOT NULL,
	`format` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`blob_key` text NOT NULL,
	`metadata` text,
	`status` text NOT NULL,
	`error` text,
	`page_count` integer,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`token_count` integer DEFAULT 0 NOT NULL,
	`pages_done` integer DEFAULT 0 NOT NULL,
	`pages_total` integer,
	`generation` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `documents_tenant_idx` ON `documents` (`tenant_id`);--> statement-breakpoint
CREATE INDEX `documents_collection_idx` ON `documents` (`collection_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `documents_content_idx` ON `documents` (`tenant_id`,`collection_id`,`sha256`);