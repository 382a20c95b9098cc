import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Data migrations written in TypeScript because they apply a business rule (db/data-migrations):
 * each runs once, after the SQL migrations, and is recorded here by name.
 */
export const dataMigrations = pgTable('data_migrations', {
	name: text('name').primaryKey(),
	appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
});
