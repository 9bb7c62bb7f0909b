-- Conversations started before this migration keep a NULL owner: only the tenant's owners and admins see them.
ALTER TABLE `conversations` ADD `owner_type` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `owner_id` text;--> statement-breakpoint
CREATE INDEX `conversations_owner_idx` ON `conversations` (`tenant_id`,`owner_type`,`owner_id`);