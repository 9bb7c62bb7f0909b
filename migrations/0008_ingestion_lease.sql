ALTER TABLE `documents` ADD `lease_expires_at` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `sweeps` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `documents_lease_idx` ON `documents` (`status`,`lease_expires_at`);