ALTER TABLE `tenant_billing` ADD `sync_tickets_issued` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenant_billing` ADD `sync_ticket_applied` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenant_billing` DROP COLUMN `last_event_created`;