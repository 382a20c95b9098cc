import { sql } from 'drizzle-orm';
import {
	check,
	customType,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
} from 'drizzle-orm/pg-core';
import { users } from './people.ts';

/** Binary content, stored in PostgreSQL so that any number of app instances serve it. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	fromDriver: (value) => new Uint8Array(value as Uint8Array),
});

export const imageStatus = pgEnum('image_status', ['processing', 'ready']);

/**
 * An uploaded image, keyed by the SHA-256 of the original bytes. The original keeps its
 * metadata (GPS, serials) and is never served; only the stripped variants are.
 */
export const images = pgTable(
	'images',
	{
		id: text('id').primaryKey(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		/** Tiny blurred preview as a data: URI, inlined in pages. */
		placeholder: text('placeholder').notNull(),
		original: bytea('original').notNull(),
		originalType: text('original_type').notNull(),
		/** 'processing' until the AVIF variants exist (made by a background job). */
		status: imageStatus('status').notNull().default('processing'),
		uploadedBy: text('uploaded_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		check('images_id_ck', sql`${t.id} ~ '^[0-9a-f]{64}$'`),
		check('images_size_ck', sql`${t.width} > 0 and ${t.height} > 0`),
	],
);

export const imageFormat = pgEnum('image_format', ['avif', 'webp', 'jpeg']);

/** A served variant: immutable, addressed by its own content hash (the URL never changes). */
export const imageVariants = pgTable(
	'image_variants',
	{
		imageId: text('image_id')
			.notNull()
			.references(() => images.id, { onDelete: 'cascade' }),
		format: imageFormat('format').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		hash: text('hash').notNull(),
		bytes: bytea('bytes').notNull(),
		byteLength: integer('byte_length').notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.imageId, t.format, t.width] }),
		index('image_variants_hash_idx').on(t.hash),
		check('image_variants_hash_ck', sql`${t.hash} ~ '^[0-9a-f]{64}$'`),
	],
);
