ALTER TABLE `assistants` ADD `language` text DEFAULT 'auto' NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `language` text;