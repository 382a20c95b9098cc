import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema/index.ts';
import { toChinaLocalInput } from '../../src/lib/china-time.ts';
import type { StaffActor } from '../../src/lib/server/policy/types.ts';
import { createSurvey } from '../../src/lib/server/surveys/commands/build.ts';
import { openSurvey } from '../../src/lib/server/surveys/commands/lifecycle.ts';
import { loadSurvey } from '../../src/lib/server/surveys/load.ts';
import type { CreateSurveyInput } from '../../src/lib/server/surveys/schemas.ts';
import type { SurveyInfo } from '../../src/lib/server/surveys/types.ts';
import { projectHouseholds, projectId } from './ballots.ts';
import { createStaffUser } from './people.ts';

/** An admin, the demo's project "chengguan" and its households: where survey tests start. */
export async function setUpChengguan(db: Db) {
	const admin = await createStaffUser(db, { roles: ['admin'] });
	const project = await projectId(db, 'chengguan');
	const households = await projectHouseholds(db, project);
	return { admin, project, households };
}

/** A moderator of 江滨社区, a community outside chengguan's. */
export async function createOutsider(db: Db): Promise<StaffActor> {
	const [jiangbin] = await db
		.select({ id: s.communities.id })
		.from(s.communities)
		.where(eq(s.communities.name, '江滨社区'));
	return createStaffUser(db, { roles: ['moderator'], communityIds: [jiangbin!.id] });
}

/**
 * A survey created by `staff`: from the template, anonymous and by household unless told,
 * with empty English title and descriptions. Returns what `createSurvey` returns.
 */
export function createTemplateSurvey(
	db: Db,
	staff: StaffActor,
	input: Partial<CreateSurveyInput> & Pick<CreateSurveyInput, 'projectId' | 'title'>,
) {
	return createSurvey(db, staff, {
		titleEn: '',
		description: '',
		descriptionEn: '',
		mode: 'household',
		anonymous: true,
		template: true,
		...input,
	});
}

/** A template survey (see `createTemplateSurvey`) opened until tomorrow unless told; loaded. */
export async function createOpenSurvey(
	db: Db,
	staff: StaffActor,
	input: Parameters<typeof createTemplateSurvey>[2],
	closesAt = toChinaLocalInput(new Date(Date.now() + 86_400_000)),
): Promise<SurveyInfo> {
	const { surveyId } = await createTemplateSurvey(db, staff, input);
	await openSurvey(db, staff, { surveyId, closesAt });
	return (await loadSurvey(db, surveyId))!;
}
