import { asc, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { compounds, fundDisclosures, projectCompounds } from '../../../../db/schema/index.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { toCsv } from '../shared/index.ts';
import { getImageViews, type ImageView } from '../images/index.ts';

export type DisclosureView = {
	id: number;
	compoundName: string;
	compoundNameEn: string;
	kind: (typeof fundDisclosures.$inferSelect)['kind'];
	periodStart: string;
	periodEnd: string;
	amountYuan: string;
	description: string;
	attachment: ImageView | null;
	createdAt: Date;
};

/** A project's money disclosures, by compound, newest period first. Public. */
export async function listDisclosures(db: Executor, projectId: number): Promise<DisclosureView[]> {
	const rows = await db
		.select({
			d: fundDisclosures,
			compoundName: compounds.name,
			compoundNameEn: compounds.nameEn,
		})
		.from(fundDisclosures)
		.innerJoin(compounds, eq(compounds.id, fundDisclosures.compoundId))
		.where(eq(fundDisclosures.projectId, projectId))
		.orderBy(asc(compounds.name), desc(fundDisclosures.periodEnd), desc(fundDisclosures.id));
	const images = await getImageViews(
		db,
		rows.flatMap((r) => (r.d.attachmentImageId ? [r.d.attachmentImageId] : [])),
	);
	return rows.map(({ d, compoundName, compoundNameEn }) => ({
		id: d.id,
		compoundName,
		compoundNameEn,
		kind: d.kind,
		periodStart: d.periodStart,
		periodEnd: d.periodEnd,
		amountYuan: d.amountYuan,
		description: d.description,
		attachment: d.attachmentImageId ? (images.get(d.attachmentImageId) ?? null) : null,
		createdAt: d.createdAt,
	}));
}

/** The disclosures as a CSV file (the one CSV writer, shared with ballot exports). */
export function disclosuresCsv(list: DisclosureView[], locale: Locale): string {
	const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
	return toCsv([
		[
			t('aftercare.csv.compound'),
			t('aftercare.csv.kind'),
			t('aftercare.csv.periodStart'),
			t('aftercare.csv.periodEnd'),
			t('aftercare.csv.amount'),
			t('aftercare.csv.description'),
		],
		...list.map((d) => [
			locale === 'en' ? d.compoundNameEn : d.compoundName,
			t(`aftercare.kind.${d.kind}`),
			d.periodStart,
			d.periodEnd,
			d.amountYuan,
			d.description,
		]),
	]);
}

/** The compounds of a project a disclosure can be about (the form's choices). */
export async function listProjectCompounds(db: Executor, projectId: number) {
	return db
		.select({ id: compounds.id, name: compounds.name, nameEn: compounds.nameEn })
		.from(projectCompounds)
		.innerJoin(compounds, eq(compounds.id, projectCompounds.compoundId))
		.where(eq(projectCompounds.projectId, projectId))
		.orderBy(asc(compounds.id));
}

/**
 * The project's maintenance-fund use (专项维修资金使用公示, seeds/001): its 'maintenance_fund'
 * disclosures — what for, how much, when, the scan — shown next to the plan's funding table.
 * The same records as the money page (one writer: `publishDisclosure`), not a second ledger.
 */
export async function listFundUses(db: Executor, projectId: number): Promise<DisclosureView[]> {
	const all = await listDisclosures(db, projectId);
	return all.filter((d) => d.kind === 'maintenance_fund');
}
