import type { Executor } from '../../../../db/client.ts';
import { smsOutbox } from '../../../../db/schema/index.ts';
import { type Config, devSmsEnabled, logger } from '../shared/index.ts';
import { maskPhone } from './phone.ts';

/** Sends a text message; sign-in codes and (later) notifications go through the same interface. */
export type SmsSender = { send(db: Executor, phone: string, body: string): Promise<void> };

/** Development: the log (masked) and the /dev/outbox page; refused in production by config. */
export const devSender: SmsSender = {
	async send(db, phone, body) {
		await db.insert(smsOutbox).values({ phone, body });
		logger.info({ to: maskPhone(phone) }, 'sms (dev outbox)');
	},
};

/** A generic HTTP webhook: POST {phone, body} as JSON with a bearer token, 5 s timeout. */
export function webhookSender(url: string, token: string | undefined): SmsSender {
	return {
		async send(_db, phone, body) {
			const response = await fetch(url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					...(token ? { authorization: `Bearer ${token}` } : {}),
				},
				body: JSON.stringify({ phone, body }),
				signal: AbortSignal.timeout(5000),
			});
			if (!response.ok) throw new Error(`SMS webhook answered ${response.status}`);
		},
	};
}

const noneSender: SmsSender = {
	async send() {
		throw new Error('no SMS sender is configured');
	},
};

export function smsSenderFor(config: Config): SmsSender {
	if (config.SMS_SENDER === 'webhook' && config.SMS_WEBHOOK_URL) {
		return webhookSender(config.SMS_WEBHOOK_URL, config.SMS_WEBHOOK_TOKEN);
	}
	return devSmsEnabled(config) ? devSender : noneSender;
}
