import type { Db } from '../../../../db/client.ts';
import { smsSenderFor } from '../auth/index.ts';
import { ROUND_OPENED_JOB, runRoundOpenedJob } from '../ballots/index.ts';
import { AVIF_JOB, renderAvifJob } from '../images/index.ts';
import { DIGEST_JOB, runModerationDigest } from '../moderation/index.ts';
import { deliverSms, SMS_JOB } from '../notifications/index.ts';
import { getConfig, publicOrigin } from '../shared/index.ts';
import { runYearlyCheckJob, YEARLY_CHECK_JOB } from '../aftercare/index.ts';
import type { JobHandlers } from './queue.ts';

/** Every background job kind the app runs, and its handler (each safe to run twice). */
export function jobHandlers(db: Db): JobHandlers {
	return {
		[AVIF_JOB]: (payload) => renderAvifJob(db, payload as { imageId: string }),
		[ROUND_OPENED_JOB]: (payload) => runRoundOpenedJob(db, payload as { roundId: number }),
		[DIGEST_JOB]: (payload) => runModerationDigest(db, payload as { userId: string }),
		[YEARLY_CHECK_JOB]: (payload) =>
			runYearlyCheckJob(db, payload as { surveyId: number; closesAt: string; scheduledBy: string }),
		[SMS_JOB]: async (payload) => {
			const config = getConfig();
			await deliverSms(db, smsSenderFor(config), payload as { notificationId: number }, {
				origin: publicOrigin(config),
				perDay: config.NOTIFY_SMS_PER_DAY,
			});
		},
	};
}
