import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db, type Executor } from '../../../../db/client.ts';
import { images, imageVariants } from '../../../../db/schema/index.ts';
import { enqueue } from '../jobs/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { isImageError } from './errors.ts';
import { createImagePipeline, type ImagePipeline } from './pipeline.ts';
import type { EncodedImage } from './types.ts';

const KEY = Symbol.for('gongjian.imagePipeline');

/** The process's one image pipeline (its gate bounds memory across all uploads). */
export function imagePipeline(): ImagePipeline {
	const registry = globalThis as { [KEY]?: ImagePipeline };
	registry[KEY] ??= createImagePipeline();
	return registry[KEY];
}

export const AVIF_JOB = 'images.avif';

const extension = { jpeg: 'jpg', webp: 'webp', avif: 'avif' } as const;

/** The immutable public URL of a variant: its content hash and format. */
export function variantUrl(hash: string, format: 'jpeg' | 'webp' | 'avif'): string {
	return `/images/${hash}.${extension[format]}`;
}

function variantRows(imageId: string, variants: EncodedImage[]) {
	return variants.map((v) => ({
		imageId,
		format: v.format,
		width: v.width,
		height: v.height,
		hash: v.sha256,
		bytes: v.data,
		byteLength: v.byteLength,
	}));
}

export type PreparedImage = Awaited<ReturnType<ImagePipeline['processUpload']>>;

/**
 * Checks and processes an upload off the event loop's hot path (sharp's thread pool behind the
 * pipeline's bounded gate). Nothing is stored. Errors: invalid with `images.<code>`.
 */
export async function prepareImage(file: File | Uint8Array): Promise<PreparedImage> {
	const pipeline = imagePipeline();
	const params = {
		mb: Math.round(pipeline.limits.maxBytes / 1048576),
		mp: Math.round(pipeline.limits.maxPixels / 1e6),
	};
	if (file instanceof File && file.size > pipeline.limits.maxBytes) {
		throw new DomainError('invalid', 'images.image_too_large_bytes', { params });
	}
	const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : file;
	try {
		return await pipeline.processUpload(bytes);
	} catch (error) {
		if (isImageError(error)) throw new DomainError('invalid', `images.${error.code}`, { params });
		throw error;
	}
}

/**
 * Saves a prepared image inside the caller's transaction: the private original, the JPEG + WebP
 * variants, and the AVIF job — all or nothing with the caller's own rows. The same bytes
 * uploaded twice are one image.
 */
export async function savePreparedImage(
	tx: Executor,
	uploadedBy: string | null,
	prepared: PreparedImage,
): Promise<string> {
	const { original, variants, placeholder } = prepared;
	const imageId = original.sha256;
	const inserted = await tx
		.insert(images)
		.values({
			id: imageId,
			width: original.width,
			height: original.height,
			placeholder: placeholder.dataUri,
			original: original.data,
			originalType: original.contentType,
			uploadedBy,
		})
		.onConflictDoNothing()
		.returning({ id: images.id });
	if (inserted.length > 0) {
		await tx.insert(imageVariants).values(variantRows(imageId, variants)).onConflictDoNothing();
		await enqueue(tx, { kind: AVIF_JOB, key: imageId, payload: { imageId } });
	}
	return imageId;
}

/**
 * Accepts one uploaded image (staff only) and stores it: prepare, then save in a transaction.
 * Errors: forbidden; invalid with `images.<code>` (type, size, pixels…); nothing is stored then.
 */
export async function storeUploadedImage(
	db: Db,
	actor: Actor | null,
	file: File | Uint8Array,
): Promise<{ imageId: string; width: number; height: number }> {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	const prepared = await prepareImage(file);
	const imageId = await db.transaction((tx) => savePreparedImage(tx, actor.userId, prepared));
	return { imageId, width: prepared.original.width, height: prepared.original.height };
}

/**
 * The background job: AVIF variants of a stored original. Safe to run twice (inserts ignore
 * existing rows). An image that can no longer be processed is marked ready without AVIF.
 */
export async function renderAvifJob(db: Db, payload: { imageId: string }): Promise<void> {
	const [row] = await db
		.select({ original: images.original })
		.from(images)
		.where(eq(images.id, payload.imageId));
	if (!row) return;
	let avif: EncodedImage[] = [];
	try {
		avif = await imagePipeline().renderAvifVariants(row.original);
	} catch (error) {
		if (!isImageError(error)) throw error;
	}
	await db.transaction(async (tx) => {
		if (avif.length)
			await tx
				.insert(imageVariants)
				.values(variantRows(payload.imageId, avif))
				.onConflictDoNothing();
		await tx.update(images).set({ status: 'ready' }).where(eq(images.id, payload.imageId));
	});
}

export type ImageView = {
	id: string;
	width: number;
	height: number;
	placeholder: string;
	sources: { format: 'avif' | 'webp' | 'jpeg'; srcset: string }[];
	fallback: string;
};

/** What a <picture> needs for each image: placeholder and srcsets per format, AVIF once it exists. */
export async function getImageViews(db: Executor, ids: string[]): Promise<Map<string, ImageView>> {
	const unique = [...new Set(ids)];
	if (unique.length === 0) return new Map();
	const [rows, variants] = await Promise.all([
		db
			.select({
				id: images.id,
				width: images.width,
				height: images.height,
				placeholder: images.placeholder,
			})
			.from(images)
			.where(inArray(images.id, unique)),
		db
			.select({
				imageId: imageVariants.imageId,
				format: imageVariants.format,
				width: imageVariants.width,
				hash: imageVariants.hash,
			})
			.from(imageVariants)
			.where(inArray(imageVariants.imageId, unique))
			.orderBy(imageVariants.width),
	]);
	const views = new Map<string, ImageView>();
	for (const row of rows) {
		const mine = variants.filter((v) => v.imageId === row.id);
		const sources = (['avif', 'webp', 'jpeg'] as const)
			.map((format) => ({
				format,
				srcset: mine
					.filter((v) => v.format === format)
					.map((v) => `${variantUrl(v.hash, format)} ${v.width}w`)
					.join(', '),
			}))
			.filter((s) => s.srcset);
		const jpegs = mine.filter((v) => v.format === 'jpeg');
		const middle = jpegs[Math.min(1, jpegs.length - 1)];
		views.set(row.id, { ...row, sources, fallback: middle ? variantUrl(middle.hash, 'jpeg') : '' });
	}
	return views;
}

/** A variant's bytes by its content hash and format, for the image route; null if unknown. */
export async function getVariant(db: Executor, hash: string, format: 'jpeg' | 'webp' | 'avif') {
	const [row] = await db
		.select({ bytes: imageVariants.bytes, byteLength: imageVariants.byteLength })
		.from(imageVariants)
		.where(and(eq(imageVariants.hash, hash), eq(imageVariants.format, format)))
		.limit(1);
	return row ?? null;
}

/** Counts for tests and health: images and variants stored. */
export async function countImages(db: Executor): Promise<{ images: number; variants: number }> {
	const [row] = await queryRows<{ images: number; variants: number }>(
		db,
		sql`select (select count(*) from images)::int as images, (select count(*) from image_variants)::int as variants`,
	);
	return row ?? { images: 0, variants: 0 };
}
