import type { Db } from '../../../../db/client.ts';
import { AVIF_JOB, renderAvifJob } from '../images/store.ts';
import type { JobHandlers } from './queue.ts';

/** Every background job kind the app runs, and its handler (each safe to run twice). */
export function jobHandlers(db: Db): JobHandlers {
	return {
		[AVIF_JOB]: (payload) => renderAvifJob(db, payload as { imageId: string }),
	};
}
