import { eq, ne } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { countImages, renderAvifJob } from '../../../src/lib/server/images/store.ts';
import { addAttachment } from '../../../src/lib/server/plans/commands/attachments.ts';
import {
	createPlanVersion,
	updatePlanDraft,
} from '../../../src/lib/server/plans/commands/draft.ts';
import { addPlanItem } from '../../../src/lib/server/plans/commands/items.ts';
import { publishPlanVersion } from '../../../src/lib/server/plans/commands/publish.ts';
import { addRendering } from '../../../src/lib/server/plans/commands/renderings.ts';
import {
	getPlanVersionView,
	getPublishedAttachment,
	listPlanVersions,
} from '../../../src/lib/server/plans/queries.ts';
import { runDueJobs } from '../../../src/lib/server/jobs/queue.ts';
import { jobHandlers } from '../../../src/lib/server/jobs/handlers.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { buildImage, buildPhoneJpeg, buildPngBomb } from '../../factories/images.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const reject = async (promise: Promise<unknown>) => {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
};
const file = (bytes: Uint8Array, name = 'photo.jpg', type = 'image/jpeg') =>
	new File([bytes as Uint8Array<ArrayBuffer>], name, { type });

describe.each(drivers)('plan versions on %s', (driver) => {
	let t: TestDatabase;
	let projectId: number;
	let menuItemId: number;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		const [p] = await t.db.select().from(s.projects).where(eq(s.projects.slug, 'liexi'));
		projectId = p!.id;
		const [m] = await t.db
			.select()
			.from(s.renovationItems)
			.where(eq(s.renovationItems.code, 'B01'));
		menuItemId = m!.id;
	});
	afterAll(async () => t?.close());

	it('lets only the project officer or an admin edit; others get not found', async () => {
		const stranger = await createStaffUser(t.db, { roles: ['officer'], projectIds: [] });
		expect((await reject(createPlanVersion(t.db, stranger, projectId))).code).toBe('not_found');
		const moderator = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [1, 2, 3],
		});
		expect((await reject(createPlanVersion(t.db, moderator, projectId))).code).toBe('not_found');
	});

	it('drafts, publishes, makes the published version immutable and supersedes the previous one', async () => {
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [projectId] });
		const first = await createPlanVersion(t.db, officer, projectId);
		expect(first.number).toBe(1);
		expect((await reject(createPlanVersion(t.db, officer, projectId))).messageKey).toBe(
			'plans.draftExists',
		);
		await updatePlanDraft(t.db, officer, {
			versionId: first.id,
			title: '<b>方案</b>',
			titleEn: '',
			body: '# 说明\n<script>x</script>',
			bodyEn: '',
		});
		expect(
			(
				await reject(
					publishPlanVersion(t.db, officer, {
						versionId: first.id,
						opensAt: new Date(),
						closesAt: new Date(Date.now() + 86400000),
						final: false,
					}),
				)
			).messageKey,
		).toBe('plans.noItems');
		expect(
			(
				await reject(
					addPlanItem(t.db, officer, {
						versionId: first.id,
						itemId: menuItemId,
						description: '',
						descriptionEn: '',
						costYuan: '100',
						governmentYuan: '80',
						residentYuan: '30',
						split: 'area',
					}),
				)
			).messageKey,
		).toBe('plans.moneyInvalid');
		await addPlanItem(t.db, officer, {
			versionId: first.id,
			itemId: menuItemId,
			description: '屋面',
			descriptionEn: '',
			costYuan: '100000.00',
			governmentYuan: '70000',
			residentYuan: '30000',
			split: 'area',
		});
		const now = new Date();
		await publishPlanVersion(t.db, officer, {
			versionId: first.id,
			opensAt: now,
			closesAt: new Date(now.getTime() + 7 * 86400000),
			final: false,
		});
		expect(
			(
				await reject(
					updatePlanDraft(t.db, officer, {
						versionId: first.id,
						title: 'x',
						titleEn: '',
						body: '',
						bodyEn: '',
					}),
				)
			).messageKey,
		).toBe('plans.notDraft');
		expect(
			(
				await reject(
					addPlanItem(t.db, officer, {
						versionId: first.id,
						itemId: menuItemId,
						description: '',
						descriptionEn: '',
						costYuan: '1',
						governmentYuan: '1',
						residentYuan: '0',
						split: 'area',
					}),
				)
			).messageKey,
		).toBe('plans.notDraft');
		const second = await createPlanVersion(t.db, officer, projectId);
		const view = await getPlanVersionView(t.db, {
			slug: 'liexi',
			number: 2,
			viewer: null,
			drafts: true,
		});
		expect(view!.items).toHaveLength(1);
		const final = {
			versionId: second.id,
			opensAt: now,
			closesAt: new Date(now.getTime() + 7 * 86400000),
			final: true,
		};
		// Nobody gave an opinion in a round on this plan: under two thirds, the officer is refused.
		expect((await reject(publishPlanVersion(t.db, officer, final))).messageKey).toBe(
			'plans.gate.coverage',
		);
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		await publishPlanVersion(t.db, admin, {
			...final,
			overrideReason: '入户征求意见以纸质意见表完成，已存档备查。',
		});
		const versions = await listPlanVersions(t.db, projectId, { drafts: false });
		expect(versions.map((v) => [v.number, v.status])).toEqual([
			[2, 'final'],
			[1, 'superseded'],
		]);
		const published = await getPlanVersionView(t.db, { slug: 'liexi', number: 1, viewer: null });
		expect(published!.version.bodyHtml).toContain('&lt;script&gt;');
		const audit = await t.db
			.select()
			.from(s.auditLog)
			.where(eq(s.auditLog.action, 'plan.published_final'));
		expect(audit).toHaveLength(1);
	});

	it('stores a rendering pair without metadata, serves variants, and makes AVIF in the background', async () => {
		const [project] = await t.db.select().from(s.projects).where(eq(s.projects.slug, 'xubi'));
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [project!.id] });
		const draft = await createPlanVersion(t.db, officer, project!.id);
		const before = await countImages(t.db);
		await addRendering(t.db, officer, {
			versionId: draft.id,
			before: file(await buildPhoneJpeg()),
			after: file(await buildImage('png', { width: 900, height: 600 }), 'after.png', 'image/png'),
			caption: '入口',
			captionEn: 'Entrance',
			spot: '',
		});
		const after = await countImages(t.db);
		expect(after.images - before.images).toBe(2);
		const variants = await t.db.select().from(s.imageVariants);
		expect(variants.some((v) => v.format === 'avif')).toBe(false);
		for (const v of variants) {
			const meta = await sharp(Buffer.from(v.bytes)).metadata();
			expect(meta.exif).toBeUndefined();
			expect(Buffer.from(v.bytes).includes(Buffer.from('GongjianTestPhoneMaker'))).toBe(false);
		}
		const counts = await runDueJobs(t.db, jobHandlers(t.db));
		expect(counts.done).toBeGreaterThanOrEqual(2);
		const avif = await t.db
			.select()
			.from(s.imageVariants)
			.where(eq(s.imageVariants.format, 'avif'));
		expect(avif.length).toBeGreaterThan(0);
		const ready = await t.db.select({ status: s.images.status }).from(s.images);
		expect(ready.every((r) => r.status === 'ready')).toBe(true);
		await renderAvifJob(t.db, { imageId: variants[0]!.imageId });
	});

	it.each([
		[
			'an SVG',
			() => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
			'images.image_unsupported_type',
		],
		[
			'HTML named .jpg',
			() => Buffer.from('<!doctype html><script>alert(1)</script>'),
			'images.image_unsupported_type',
		],
		['a 20000×20000 PNG bomb', () => buildPngBomb(), 'images.image_too_many_pixels'],
		['zero bytes', () => Buffer.alloc(0), 'images.image_empty'],
		['25 MB', () => Buffer.alloc(25 * 1024 * 1024, 1), 'images.image_too_large_bytes'],
	])('refuses %s with its own message and stores nothing', async (_label, build, key) => {
		const [project] = await t.db.select().from(s.projects).where(eq(s.projects.slug, 'xubi'));
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [project!.id] });
		const versions = await listPlanVersions(t.db, project!.id, { drafts: true });
		const draftId =
			versions.find((v) => v.status === 'draft')?.id ??
			(await createPlanVersion(t.db, officer, project!.id)).id;
		const before = await countImages(t.db);
		const good = file(await buildImage('jpeg', { width: 300, height: 200 }));
		const error = await reject(
			addRendering(t.db, officer, {
				versionId: draftId,
				before: good,
				after: file(await build()),
				caption: 'x',
				captionEn: '',
				spot: '',
			}),
		);
		expect(error.messageKey).toBe(key);
		expect(await countImages(t.db)).toEqual(before);
	});

	it.each([
		['an unknown building (99999)', async () => 99999],
		[
			"another project's building",
			async (projectId: number) => {
				const [row] = await t.db
					.select({ id: s.buildings.id })
					.from(s.buildings)
					.innerJoin(s.projectCompounds, eq(s.projectCompounds.compoundId, s.buildings.compoundId))
					.where(ne(s.projectCompounds.projectId, projectId))
					.limit(1);
				return row!.id;
			},
		],
	])('refuses a rendering naming %s, like a plan item, and stores nothing', async (_, pick) => {
		const [project] = await t.db.select().from(s.projects).where(eq(s.projects.slug, 'xubi'));
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [project!.id] });
		const versions = await listPlanVersions(t.db, project!.id, { drafts: true });
		const draftId =
			versions.find((v) => v.status === 'draft')?.id ??
			(await createPlanVersion(t.db, officer, project!.id)).id;
		const buildingId = await pick(project!.id);
		const before = await countImages(t.db);
		const renderingsBefore = await t.db.select().from(s.renderings);
		const error = await reject(
			addRendering(t.db, officer, {
				versionId: draftId,
				before: file(await buildImage('jpeg', { width: 300, height: 200 })),
				after: file(await buildImage('jpeg', { width: 320, height: 200 })),
				caption: 'x',
				captionEn: '',
				buildingId,
				spot: '',
			}),
		);
		expect(error.code).toBe('invalid');
		expect(error.messageKey).toBe('plans.buildingOutOfScope');
		expect(await countImages(t.db)).toEqual(before);
		expect(await t.db.select().from(s.renderings)).toHaveLength(renderingsBefore.length);
	});

	it('accepts PDF drawings by content only and serves them once the version is published', async () => {
		const [project] = await t.db
			.select()
			.from(s.projects)
			.where(eq(s.projects.slug, 'baisha-fuxing'));
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [project!.id] });
		const draft = await createPlanVersion(t.db, officer, project!.id);
		const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
		const html = Buffer.from('<html><script>alert(1)</script></html>');
		const err = await reject(
			addAttachment(t.db, officer, {
				versionId: draft.id,
				title: 'x',
				file: file(html, 'drawing.pdf', 'application/pdf'),
			}),
		);
		expect(err.messageKey).toBe('plans.pdfInvalid');
		await addAttachment(t.db, officer, {
			versionId: draft.id,
			title: '总平面图',
			file: file(pdf, 'plan.pdf', 'application/pdf'),
		});
		const view = await getPlanVersionView(t.db, {
			slug: 'baisha-fuxing',
			number: draft.number,
			viewer: null,
			drafts: true,
		});
		const hash = view!.attachments[0]!.hash;
		expect(await getPublishedAttachment(t.db, hash)).toBeNull();
		await addPlanItem(t.db, officer, {
			versionId: draft.id,
			itemId: menuItemId,
			description: '',
			descriptionEn: '',
			costYuan: '10',
			governmentYuan: '10',
			residentYuan: '0',
			split: 'equal',
		});
		await publishPlanVersion(t.db, officer, {
			versionId: draft.id,
			opensAt: new Date(),
			closesAt: new Date(Date.now() + 86400000),
			final: false,
		});
		const served = await getPublishedAttachment(t.db, hash);
		expect(Buffer.from(served!.data).toString('latin1')).toContain('%PDF-1.4');
	});
});
