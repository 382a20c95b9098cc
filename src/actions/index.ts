import { account } from './account.ts';
import { aftercare } from './aftercare.ts';
import { ballots } from './ballots.ts';
import { auth } from './auth.ts';
import { households } from './households.ts';
import { moderation } from './moderation.ts';
import { opinions } from './opinions.ts';
import { plans } from './plans.ts';
import { progress } from './progress.ts';
import { notifications } from './notifications.ts';
import { roster } from './roster.ts';
import { staff } from './staff.ts';
import { surveys } from './surveys.ts';
import { communities } from './communities.ts';
import { visits } from './visits.ts';
import { agreements } from './agreements.ts';
import { supervision } from './supervision.ts';
import { explainers } from './explainers.ts';
import { candidates } from './candidates.ts';

/** Every action is a public endpoint (/_actions/…): each handler calls the policy itself. */
export const server = {
	auth,
	households,
	staff,
	account,
	plans,
	opinions,
	ballots,
	roster,
	surveys,
	progress,
	notifications,
	moderation,
	communities,
	aftercare,
	visits,
	agreements,
	supervision,
	explainers,
	candidates,
};
