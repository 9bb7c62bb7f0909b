CREATE TABLE `widgets` (
	`assistant_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`enabled` integer NOT NULL,
	`publishable_key` text,
	`allowed_origins` text NOT NULL,
	`title` text NOT NULL,
	`greeting` text NOT NULL,
	`primary_color` text NOT NULL,
	`position` text NOT NULL,
	`language` text NOT NULL,
	`suggested_questions` text NOT NULL,
	`visitor_messages_per_hour` integer NOT NULL,
	`visitor_messages_per_day` integer NOT NULL,
	`assistant_messages_per_hour` integer NOT NULL,
	`assistant_messages_per_day` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`assistant_id`) REFERENCES `assistants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `widgets_tenant_idx` ON `widgets` (`tenant_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `widgets_publishable_key_idx` ON `widgets` (`publishable_key`);