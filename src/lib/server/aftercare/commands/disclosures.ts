import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { fundDisclosures, projectCompounds } from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { savePreparedImage } from '../../images/index.ts';
import type { Actor } from '../../policy/index.ts';
import { isIsoDate, prepareImages, projectFor } from '../../progress/index.ts';
import { DomainError } from '../../shared/index.ts';
import type { DisclosureKind } from '../rules.ts';

/**
 * The committee publishes a compound's money disclosure (收支公示) for a period: property fees,
 * maintenance-fund use or shared income, with the amount, what it was for and optionally a scan
 * of the ledger (image pipeline). Errors: not_found (scope), invalid (compound not in the
 * project, period, attachment). Audited.
 */
export async function publishDisclosure(
	db: Db,
	actor: Actor | null,
	input: {
		projectId: number;
		compoundId: number;
		kind: DisclosureKind;
		periodStart: string;
		periodEnd: string;
		amountYuan: string;
		description: string;
		attachment: File[];
	},
): Promise<{ id: number }> {
	const { staff, project } = await projectFor(db, actor, 'results.publish', input.projectId);
	const [inProject] = await db
		.select()
		.from(projectCompounds)
		.where(
			and(
				eq(projectCompounds.projectId, project.id),
				eq(projectCompounds.compoundId, input.compoundId),
			),
		);
	if (!inProject) throw new DomainError('invalid', 'aftercare.compoundInvalid');
	if (
		!isIsoDate(input.periodStart) ||
		!isIsoDate(input.periodEnd) ||
		input.periodEnd < input.periodStart
	) {
		throw new DomainError('invalid', 'aftercare.periodInvalid');
	}
	if (input.attachment.length > 1) throw new DomainError('invalid', 'progress.tooManyPhotos');
	const [scan] = await prepareImages(input.attachment);
	return db.transaction(async (tx) => {
		const attachmentImageId = scan ? await savePreparedImage(tx, staff.userId, scan) : null;
		const [row] = await tx
			.insert(fundDisclosures)
			.values({
				projectId: project.id,
				compoundId: input.compoundId,
				kind: input.kind,
				periodStart: input.periodStart,
				periodEnd: input.periodEnd,
				amountYuan: input.amountYuan,
				description: input.description,
				attachmentImageId,
				publishedBy: staff.userId,
			})
			.returning({ id: fundDisclosures.id });
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'disclosure.published',
			targetType: 'fund_disclosure',
			targetId: row!.id,
			communityId: project.communityId,
			details: { kind: input.kind, amount: input.amountYuan, period: input.periodEnd },
		});
		return { id: row!.id };
	});
}
