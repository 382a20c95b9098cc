import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	buildings,
	compounds,
	conventionConfirmations,
	conventionVersions,
	households,
	projectCompounds,
	units,
} from '../../../../db/schema/index.ts';
import { renderMarkdown } from '../plans/index.ts';
import type { Actor, Membership } from '../policy/index.ts';

/**
 * Who may confirm the convention for a household online: an owner or a family member bound to
 * it. A tenant lives by the convention too, but the household's word is the owners' (居民公约
 * is adopted by the owners, 民法典 art. 278 (一)); a tenant asks the owner, or signs on paper.
 */
export const canConfirmConvention = (m: Pick<Membership, 'relation'>) =>
	m.relation === 'owner' || m.relation === 'family';

export type ConventionVersionRow = typeof conventionVersions.$inferSelect;

/** The newest version of a project's convention, or null. */
export async function getLatestConvention(
	db: Executor,
	projectId: number,
): Promise<ConventionVersionRow | null> {
	const [row] = await db
		.select()
		.from(conventionVersions)
		.where(eq(conventionVersions.projectId, projectId))
		.orderBy(desc(conventionVersions.version))
		.limit(1);
	return row ?? null;
}

/** Households of the project's compounds, confirmed or not, per building (active ones only). */
export async function conventionCounts(db: Executor, projectId: number, versionId: number | null) {
	const rows = await db
		.select({
			buildingId: buildings.id,
			number: buildings.number,
			compound: compounds.name,
			compoundEn: compounds.nameEn,
			households: count(households.id),
			confirmed: count(conventionConfirmations.id),
		})
		.from(households)
		.innerJoin(projectCompounds, eq(projectCompounds.compoundId, households.compoundId))
		.innerJoin(buildings, eq(buildings.id, households.buildingId))
		.innerJoin(compounds, eq(compounds.id, households.compoundId))
		.leftJoin(
			conventionConfirmations,
			and(
				eq(conventionConfirmations.householdId, households.id),
				eq(conventionConfirmations.versionId, versionId ?? -1),
			),
		)
		.where(and(eq(projectCompounds.projectId, projectId), isNull(households.retiredAt)))
		.groupBy(buildings.id, buildings.number, compounds.id, compounds.name, compounds.nameEn)
		.orderBy(asc(compounds.id), sql`length(${buildings.number})`, asc(buildings.number));
	const total = rows.reduce(
		(sum, r) => ({
			households: sum.households + r.households,
			confirmed: sum.confirmed + r.confirmed,
		}),
		{ households: 0, confirmed: 0 },
	);
	return { buildings: rows, total };
}

export type ConventionPage = {
	version: {
		id: number;
		version: number;
		title: string;
		bodyHtml: string;
		bodyEnHtml: string;
		publishedAt: Date;
	} | null;
	history: { version: number; title: string; publishedAt: Date }[];
	counts: Awaited<ReturnType<typeof conventionCounts>>;
	/** The viewer's households in this project: may they confirm, and have they (any channel)? */
	mine: {
		householdId: number;
		building: string;
		unit: string;
		room: string;
		mayConfirm: boolean;
		confirmed: boolean;
	}[];
};

/**
 * The public convention page (/p/:slug/convention): the newest version rendered, earlier
 * versions listed, confirmations counted per building, and the viewer's own households.
 */
export async function getConventionPage(
	db: Executor,
	actor: Actor | null,
	project: { id: number },
): Promise<ConventionPage> {
	const history = await db
		.select({
			id: conventionVersions.id,
			version: conventionVersions.version,
			title: conventionVersions.title,
			body: conventionVersions.body,
			bodyEn: conventionVersions.bodyEn,
			publishedAt: conventionVersions.publishedAt,
		})
		.from(conventionVersions)
		.where(eq(conventionVersions.projectId, project.id))
		.orderBy(desc(conventionVersions.version));
	const latest = history[0] ?? null;
	const counts = await conventionCounts(db, project.id, latest?.id ?? null);
	const memberships =
		actor?.kind === 'resident'
			? actor.memberships.filter((m) => counts.buildings.some((b) => b.buildingId === m.buildingId))
			: [];
	const confirmedIds = new Set(
		latest && memberships.length
			? (
					await db
						.select({ householdId: conventionConfirmations.householdId })
						.from(conventionConfirmations)
						.where(
							and(
								eq(conventionConfirmations.versionId, latest.id),
								inArray(
									conventionConfirmations.householdId,
									memberships.map((m) => m.householdId),
								),
							),
						)
				).map((r) => r.householdId)
			: [],
	);
	return {
		version: latest && {
			id: latest.id,
			version: latest.version,
			title: latest.title,
			bodyHtml: renderMarkdown(latest.body),
			bodyEnHtml: latest.bodyEn ? renderMarkdown(latest.bodyEn) : '',
			publishedAt: latest.publishedAt,
		},
		history: history.map(({ version, title, publishedAt }) => ({ version, title, publishedAt })),
		counts,
		mine: memberships.map((m) => ({
			householdId: m.householdId,
			building: m.buildingNumber,
			unit: m.unitNumber,
			room: m.room,
			mayConfirm: canConfirmConvention(m),
			confirmed: confirmedIds.has(m.householdId),
		})),
	};
}

/** The project's households not yet confirmed for the newest version, for the paper form. */
export async function listUnconfirmedHouseholds(
	db: Executor,
	projectId: number,
	versionId: number,
) {
	return db
		.select({
			id: households.id,
			compound: compounds.name,
			compoundEn: compounds.nameEn,
			building: buildings.number,
			unit: units.number,
			room: households.room,
		})
		.from(households)
		.innerJoin(projectCompounds, eq(projectCompounds.compoundId, households.compoundId))
		.innerJoin(compounds, eq(compounds.id, households.compoundId))
		.innerJoin(buildings, eq(buildings.id, households.buildingId))
		.innerJoin(units, eq(units.id, households.unitId))
		.leftJoin(
			conventionConfirmations,
			and(
				eq(conventionConfirmations.householdId, households.id),
				eq(conventionConfirmations.versionId, versionId),
			),
		)
		.where(
			and(
				eq(projectCompounds.projectId, projectId),
				isNull(households.retiredAt),
				isNull(conventionConfirmations.id),
			),
		)
		.orderBy(
			asc(compounds.id),
			sql`length(${buildings.number})`,
			asc(buildings.number),
			asc(units.number),
			asc(households.room),
		)
		.limit(2000);
}
