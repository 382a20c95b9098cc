import { insights } from './en/insights.ts';
import { floors } from './en/floors.ts';
import { visits } from './en/visits.ts';
import { failclosed } from './en/failclosed.ts';
import { agreements, explainers, supervision } from './en/agreements.ts';
import { funding } from './en/funding.ts';
import { aftercare } from './en/aftercare.ts';
import { surveys } from './en/surveys.ts';
import { progress } from './en/progress.ts';
import { moderation } from './en/moderation.ts';
import { roster } from './en/roster.ts';
import { ballots } from './en/ballots.ts';
import { staffPlans } from './en/staffPlans.ts';
import { plans } from './en/plans.ts';
import { core } from './en/core.ts';
import { opinions } from './en/opinions.ts';
import { projects } from './en/projects.ts';
import { auth } from './en/auth.ts';
import { households } from './en/households.ts';
import { staff } from './en/staff.ts';
import { residents } from './en/residents.ts';
import { trust } from './en/trust.ts';
import { committee } from './en/committee.ts';
import { moderationSteps } from './en/moderationSteps.ts';
import type { MessageKey } from './zh-CN.ts';

/** English — must define every key of the zh-CN catalog (the type enforces it). */
export const en: Record<MessageKey, string> = {
	...core,
	...projects,
	...auth,
	...households,
	...staff,
	...roster,
	...plans,
	...opinions,
	...staffPlans,
	...ballots,
	...progress,
	...moderation,
	...surveys,
	...residents,
	...trust,
	...committee,
	...aftercare,
	...visits,
	...moderationSteps,
	...failclosed,
	...agreements,
	...supervision,
	...explainers,
	...funding,
	...insights,
	...floors,
};
