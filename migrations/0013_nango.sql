CREATE TABLE `imported_documents` (
	`document_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`collection_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`external_id` text NOT NULL,
	`revision` text NOT NULL,
	`synced_at` text NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `imported_documents_source_idx` ON `imported_documents` (`tenant_id`,`collection_id`,`integration_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `imported_documents_tenant_idx` ON `imported_documents` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `nango_connections` (
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`provider` text NOT NULL,
	`connection_id` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `integration_id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `nango_sync_items` (
	`tenant_id` text NOT NULL,
	`sync_id` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text NOT NULL,
	`revision` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`document_id` text,
	PRIMARY KEY(`sync_id`, `external_id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sync_id`) REFERENCES `nango_syncs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `nango_sync_items_tenant_idx` ON `nango_sync_items` (`tenant_id`);--> statement-breakpoint
CREATE INDEX `nango_sync_items_status_idx` ON `nango_sync_items` (`sync_id`,`status`);--> statement-breakpoint
CREATE TABLE `nango_syncs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`collection_id` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`step` integer DEFAULT 0 NOT NULL,
	`cursor` text,
	`removed` integer DEFAULT 0 NOT NULL,
	`started_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `nango_syncs_tenant_idx` ON `nango_syncs` (`tenant_id`);--> statement-breakpoint
CREATE INDEX `nango_syncs_connection_idx` ON `nango_syncs` (`tenant_id`,`integration_id`,`status`);--> statement-breakpoint
CREATE INDEX `nango_syncs_collection_idx` ON `nango_syncs` (`collection_id`);