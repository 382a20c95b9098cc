import { eq } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { agreements, projects } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { prepareImage, savePreparedImage } from '../images/index.ts';
import { formatYuan } from '../plans/index.ts';
import { can } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { loadAgreementContext } from './queries.ts';
import { householdTerms } from './rules.ts';

async function projectRow(db: Db, projectId: number) {
	const [project] = await db
		.select({ id: projects.id, communityId: projects.communityId })
		.from(projects)
		.where(eq(projects.id, projectId));
	if (!project) throw new DomainError('not_found', 'error.notFound');
	return project;
}

/** The final plan and the household's terms; refuses before the final plan or outside its scope. */
async function termsFor(db: Db, projectId: number, householdId: number) {
	const context = await loadAgreementContext(db, projectId);
	if (!context) throw new DomainError('closed', 'agreements.noFinalPlan');
	const terms = householdTerms(context.items, context.scope, householdId);
	if (!terms) throw new DomainError('not_found', 'error.notFound');
	if (context.agreed.has(householdId)) throw new DomainError('conflict', 'agreements.already');
	return { final: context.final, terms };
}

/**
 * A household confirms the 改造协议 online: an owner, or a member the owner authorised (the
 * same people who may cast consent ballots, 民法典 art. 278). Keeps the share it agreed to.
 * Errors: unauthenticated; forbidden (another relation); not_found (household not in the
 * project, or not the actor's); closed (no final plan yet); conflict (already confirmed).
 */
export async function confirmAgreement(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; householdId: number },
): Promise<{ shareYuan: string }> {
	if (!actor) throw new DomainError('unauthenticated', 'auth.signInFirst');
	if (actor.kind !== 'resident') throw new DomainError('forbidden', 'error.forbidden');
	if (!can(actor, 'household.act', { householdId: input.householdId })) {
		throw new DomainError('not_found', 'error.notFound');
	}
	if (!can(actor, 'household.consent', { householdId: input.householdId })) {
		throw new DomainError('forbidden', 'agreements.ownerOnly');
	}
	const project = await projectRow(db, input.projectId);
	const { final, terms } = await termsFor(db, project.id, input.householdId);
	const shareYuan = formatYuan(terms.totalCents);
	return db.transaction(async (tx) => {
		const inserted = await tx
			.insert(agreements)
			.values({
				planVersionId: final.id,
				householdId: input.householdId,
				channel: 'online',
				shareYuan,
				confirmedBy: actor.userId,
			})
			.onConflictDoNothing()
			.returning({ id: agreements.id });
		if (inserted.length === 0) throw new DomainError('conflict', 'agreements.already');
		await appendAudit(tx, {
			actorId: actor.userId,
			actorKind: 'resident',
			action: 'agreement.confirmed',
			targetType: 'household',
			targetId: input.householdId,
			communityId: project.communityId,
			details: { projectId: project.id, planVersionId: final.id, shareYuan },
		});
		return { shareYuan };
	});
}

/**
 * The committee records a household's signed paper 合约书 with a photo of the signed page
 * (image pipeline: metadata stripped; checked before anything is stored). Errors: not_found
 * (project out of scope, household not in it); invalid (no or bad photo); closed; conflict.
 */
export async function recordPaperAgreement(
	db: Db,
	actor: Actor | null,
	input: { projectId: number; householdId: number; photo: File | null },
): Promise<{ shareYuan: string }> {
	const project = await projectRow(db, input.projectId);
	if (
		!can(actor, 'agreement.record_paper', {
			communityId: project.communityId,
			projectId: project.id,
		}) ||
		actor?.kind !== 'staff'
	) {
		throw new DomainError('not_found', 'error.notFound');
	}
	const { final, terms } = await termsFor(db, project.id, input.householdId);
	if (!input.photo || input.photo.size === 0) {
		throw new DomainError('invalid', 'agreements.photoRequired');
	}
	const prepared = await prepareImage(input.photo);
	const shareYuan = formatYuan(terms.totalCents);
	return db.transaction(async (tx) => {
		const scanImageId = await savePreparedImage(tx, actor.userId, prepared);
		const inserted = await tx
			.insert(agreements)
			.values({
				planVersionId: final.id,
				householdId: input.householdId,
				channel: 'paper',
				shareYuan,
				confirmedBy: actor.userId,
				scanImageId,
			})
			.onConflictDoNothing()
			.returning({ id: agreements.id });
		if (inserted.length === 0) throw new DomainError('conflict', 'agreements.already');
		await appendAudit(tx, {
			actorId: actor.userId,
			actorKind: 'staff',
			action: 'agreement.paper_recorded',
			targetType: 'household',
			targetId: input.householdId,
			communityId: project.communityId,
			details: { projectId: project.id, planVersionId: final.id, shareYuan, scanImageId },
		});
		return { shareYuan };
	});
}
