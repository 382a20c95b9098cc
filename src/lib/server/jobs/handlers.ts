import type { Db } from '../../../../db/client.ts';
import { smsSenderFor } from '../auth/sms.ts';
import { ROUND_OPENED_JOB, runRoundOpenedJob } from '../ballots/commands/announce.ts';
import { runYearlyCheckJob, YEARLY_CHECK_JOB } from '../aftercare/yearly.ts';
import { AVIF_JOB, renderAvifJob } from '../images/store.ts';
import { deliverSms, SMS_JOB } from '../notifications/sms.ts';
import { getConfig, publicOrigin } from '../shared/config.ts';
import type { JobHandlers } from './queue.ts';

/** Every background job kind the app runs, and its handler (each safe to run twice). */
export function jobHandlers(db: Db): JobHandlers {
	return {
		[AVIF_JOB]: (payload) => renderAvifJob(db, payload as { imageId: string }),
		[ROUND_OPENED_JOB]: (payload) => runRoundOpenedJob(db, payload as { roundId: number }),
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
