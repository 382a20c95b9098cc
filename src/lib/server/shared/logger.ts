import pino from 'pino';
import { getConfig } from './config.ts';

/** Structured JSON logs on stdout; one logger for the process. */
export const logger = pino({
	level: getConfig().LOG_LEVEL,
	base: { service: 'gongjian' },
	redact: {
		paths: ['phone', '*.phone', 'password', '*.password', 'code', '*.code'],
		censor: '[redacted]',
	},
});
