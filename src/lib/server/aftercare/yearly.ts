import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { acceptanceRecords, projects } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { enqueue } from '../jobs/index.ts';
import { loadActor } from '../policy/index.ts';
import type { Actor, StaffActor } from '../policy/index.ts';
import { chinaToday } from '../progress/index.ts';
import { DomainError, isDomainError } from '../shared/index.ts';
import { createSurvey, openSurvey } from '../surveys/index.ts';
import { addDays, addMonths } from './rules.ts';

/** The job that opens a scheduled yearly check (see scheduleYearlyCheck). */
export const YEARLY_CHECK_JOB = 'aftercare.open_yearly_check';

/** How long a yearly check takes answers once it opens. */
export const YEARLY_CHECK_DAYS = 30;

/**
 * The yearly check after the works (一年回访, issue 23 item 6): the anniversary of the joint
 * acceptance, or `today` when that has passed (a late schedule opens at once). 02-29 → 02-28.
 */
export function yearlyCheckOpensOn(heldOn: string, today: string): string {
	const anniversary = addMonths(heldOn, 12);
	return anniversary < today ? today : anniversary;
}

/**
 * Schedules the yearly satisfaction check of a project whose works passed the joint acceptance:
 * a draft survey from the same post-completion template (one rating per item of the final
 * plan, overall satisfaction, recommendation, suggestions) and a job that opens it to the
 * households on the anniversary (09:00 China time) for 30 days, on behalf of the staff member
 * who scheduled it. One per project and anniversary. Errors: not_found/forbidden (scope, as
 * createSurvey), invalid (no passed acceptance), conflict (already scheduled). Audited.
 */
export async function scheduleYearlyCheck(
	db: Db,
	actor: Actor | null,
	input: { projectId: number },
	now = new Date(),
): Promise<{ surveyId: number; opensOn: string }> {
	const [project] = await db.select().from(projects).where(eq(projects.id, input.projectId));
	if (!project) throw new DomainError('not_found', 'error.notFound');
	const [acceptance] = await db
		.select({ heldOn: acceptanceRecords.heldOn })
		.from(acceptanceRecords)
		.where(
			and(eq(acceptanceRecords.projectId, project.id), eq(acceptanceRecords.outcome, 'passed')),
		)
		.orderBy(desc(acceptanceRecords.heldOn))
		.limit(1);
	if (!acceptance) throw new DomainError('invalid', 'yearly.noAcceptance');
	const today = chinaToday(now);
	const opensOn = yearlyCheckOpensOn(acceptance.heldOn, today);
	const opensAt = new Date(`${opensOn}T09:00:00+08:00`);
	const closesAt = `${addDays(opensOn, YEARLY_CHECK_DAYS)}T18:00`;
	const year = Number(opensOn.slice(0, 4));
	return db.transaction(async (tx) => {
		const { surveyId } = await createSurvey(tx, actor, {
			projectId: project.id,
			title: `改造后满意度回访（${year}年）`,
			titleEn: `Satisfaction follow-up (${year})`,
			description: '改造完成一年了，请您再评价一次改造效果和改造后的管理维护。',
			descriptionEn:
				'A year after the works: please rate the renovation and how the compound is looked after.',
			mode: 'household',
			anonymous: true,
			template: true,
		});
		const staff = actor as StaffActor;
		const job = await enqueue(tx, {
			kind: YEARLY_CHECK_JOB,
			key: `${project.id}:${opensOn}`,
			payload: { surveyId, closesAt, scheduledBy: staff.userId },
			runAt: opensAt.getTime() > now.getTime() ? opensAt : now,
		});
		if (!job.created) throw new DomainError('conflict', 'yearly.alreadyScheduled');
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'survey.yearly_check_scheduled',
			targetType: 'survey',
			targetId: surveyId,
			communityId: project.communityId,
			details: { projectId: project.id, opensOn },
		});
		return { surveyId, opensOn };
	});
}

/**
 * The job: opens the scheduled survey on behalf of the staff member who scheduled it. Safe to
 * run twice (a survey already opened is left as it is); a scheduler whose account is gone or
 * lost the scope leaves the draft for the committee to open by hand.
 */
export async function runYearlyCheckJob(
	db: Db,
	payload: { surveyId: number; closesAt: string; scheduledBy: string },
): Promise<void> {
	const actor = await loadActor(db, payload.scheduledBy, 'staff');
	if (!actor) return;
	try {
		await openSurvey(db, actor, { surveyId: payload.surveyId, closesAt: payload.closesAt });
	} catch (error) {
		if (isDomainError(error) && (error.code === 'conflict' || error.code === 'forbidden')) return;
		throw error;
	}
}
