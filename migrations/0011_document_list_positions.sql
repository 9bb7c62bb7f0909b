CREATE TABLE `document_list_counters` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`last_position` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `documents` ADD `list_position` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `documents_list_position_idx` ON `documents` (`tenant_id`,`list_position`);--> statement-breakpoint
-- Documents already stored keep their order (by id) and take the first positions of their tenant.
UPDATE `documents` SET `list_position` = `ranked`.`position`
FROM (SELECT `id`, ROW_NUMBER() OVER (PARTITION BY `tenant_id` ORDER BY `id`) AS `position` FROM `documents`) AS `ranked`
WHERE `ranked`.`id` = `documents`.`id`;--> statement-breakpoint
INSERT INTO `document_list_counters` (`tenant_id`, `last_position`)
SELECT `tenant_id`, MAX(`list_position`) FROM `documents` GROUP BY `tenant_id`;
