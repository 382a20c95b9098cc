import { insights } from './zh-CN/insights.ts';
import { floors } from './zh-CN/floors.ts';
import { visits } from './zh-CN/visits.ts';
import { failclosed } from './zh-CN/failclosed.ts';
import { agreements, explainers, supervision } from './zh-CN/agreements.ts';
import { funding } from './zh-CN/funding.ts';
import { aftercare } from './zh-CN/aftercare.ts';
import { surveys } from './zh-CN/surveys.ts';
import { progress } from './zh-CN/progress.ts';
import { moderation } from './zh-CN/moderation.ts';
import { roster } from './zh-CN/roster.ts';
import { ballots } from './zh-CN/ballots.ts';
import { staffPlans } from './zh-CN/staffPlans.ts';
import { plans } from './zh-CN/plans.ts';
import { core } from './zh-CN/core.ts';
import { opinions } from './zh-CN/opinions.ts';
import { projects } from './zh-CN/projects.ts';
import { auth } from './zh-CN/auth.ts';
import { households } from './zh-CN/households.ts';
import { staff } from './zh-CN/staff.ts';
import { residents } from './zh-CN/residents.ts';
import { trust } from './zh-CN/trust.ts';
import { committee } from './zh-CN/committee.ts';
import { moderationSteps } from './zh-CN/moderationSteps.ts';

/**
 * 简体中文 — the default catalog and the source of truth for keys, one file per area under
 * ./zh-CN/ (add a file and spread it here; en.ts must then cover the same keys).
 */
export const zhCN = {
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
} as const;

export type MessageKey = keyof typeof zhCN;
