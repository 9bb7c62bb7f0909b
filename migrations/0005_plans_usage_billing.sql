CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`tenant_id` text,
	`processed_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stripe_events_tenant_idx` ON `stripe_events` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `tenant_billing` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`stripe_customer_id` text,
	`stripe_subscription_id` text,
	`subscription_status` text,
	`current_period_start` text,
	`current_period_end` text,
	`payment_failed_at` text,
	`last_event_created` integer,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenant_billing_customer_idx` ON `tenant_billing` (`stripe_customer_id`);--> statement-breakpoint
CREATE TABLE `usage_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`metric` text NOT NULL,
	`amount` integer NOT NULL,
	`period_start` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_events_tenant_idx` ON `usage_events` (`tenant_id`,`at`);--> statement-breakpoint
CREATE INDEX `usage_events_period_idx` ON `usage_events` (`tenant_id`,`metric`,`period_start`);