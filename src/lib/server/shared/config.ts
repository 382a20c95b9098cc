import { z } from 'zod';

/**
 * The one place configuration is read. Every value comes from the environment, is validated
 * here, and a bad value stops the process with one clear line (see `loadConfig`).
 */
const booleanFlag = z
	.enum(['true', 'false', '1', '0', 'yes', 'no'], {
		error: 'must be true or false',
	})
	.transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * A postgres:// URL, possibly listing several hosts (`postgres://u@a:5432,b:5433/db`), which
 * postgres.js tries in turn; `?target_session_attrs=primary` picks the one that is not a standby
 * (not `read-write`: postgres.js 3.4.9 takes a hot standby for writable, see README).
 */
function isPostgresUrl(value: string): boolean {
	const firstHost = value.replace(
		/^(postgres(?:ql)?:\/\/(?:[^@/]*@)?)([^/?]*)/,
		(_, head, hosts) => head + hosts.split(',')[0],
	);
	return /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(firstHost);
}

const configSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
	DATABASE_URL: z
		.string()
		.trim()
		.refine(isPostgresUrl, {
			message:
				'must be a postgres:// or postgresql:// URL (several hosts: postgres://a:5432,b:5432/db)',
		})
		.optional(),
	/**
	 * The role that owns the tables: migrations (and the demo seed) run as it, while the app
	 * connects with DATABASE_URL as a role with only the app's privileges (db/app-role.sql).
	 */
	DATABASE_OWNER_URL: z
		.string()
		.trim()
		.refine(isPostgresUrl, {
			message:
				'must be a postgres:// or postgresql:// URL (several hosts: postgres://a:5432,b:5432/db)',
		})
		.optional(),
	PGLITE_DIR: z.string().trim().min(1).default('./data/pglite'),
	PORT: z.coerce
		.number({ error: 'must be a whole number from 1 to 65535' })
		.int('must be a whole number from 1 to 65535')
		.min(1, 'must be a whole number from 1 to 65535')
		.max(65535, 'must be a whole number from 1 to 65535')
		.default(4321),
	HOST: z
		.string()
		.trim()
		.regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or an IP address')
		.default('127.0.0.1'),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	SITE_URL: z
		.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://example.org' })
		.optional(),
	TRUST_PROXY: booleanFlag.default(false),
	DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
	SEED_DEMO: z.enum(['embedded', 'empty', 'never']).default('embedded'),
	/** sms: phone + one-time code; password: phone + a password set when binding a household. */
	AUTH_MODE: z.enum(['sms', 'password']).default('sms'),
	/**
	 * webhook POSTs JSON to a gateway; dev writes codes to the log and /dev/outbox, only when set
	 * explicitly and only on a loopback HOST without TRUST_PROXY (see `parseConfig`); unset: none.
	 */
	SMS_SENDER: z.enum(['dev', 'webhook', 'none']).default('none'),
	SMS_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
	SMS_WEBHOOK_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
	SESSION_DAYS: z.coerce.number().int().min(1).max(90).default(30),
	/** When set, the demo seed also creates demo staff accounts with this password. */
	DEMO_STAFF_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
	/**
	 * Key of the HMAC that turns owner identifiers (property certificate numbers) into owner keys;
	 * required in production, a fixed development key otherwise. Changing it re-keys owners.
	 */
	OWNER_KEY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
	HOUSEHOLD_CODE_MAX_MEMBERS: z.coerce.number().int().min(1).max(20).default(5),
	/** Distinct reporters after which an opinion is hidden pending the committee's review. */
	REPORT_HIDE_THRESHOLD: z.coerce.number().int().min(1).max(100).default(3),
	/**
	 * Responsible units construction problems are dispatched to (派单), comma-separated: the keys
	 * construction, pipeline and property are translated; any other name is shown as written.
	 */
	PROBLEM_UNITS: z
		.string()
		.default('construction,pipeline,property')
		.transform((v) => [
			...new Set(
				v
					.split(/[,，]/)
					.map((u) => u.trim())
					.filter(Boolean),
			),
		])
		.pipe(z.array(z.string().max(40, 'names must be at most 40 characters')).min(1)),
	/** Notification text messages (opt-in) per resident per 24 hours, over all projects. */
	NOTIFY_SMS_PER_DAY: z.coerce.number().int().min(0).max(50).default(3),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Parses an environment-like record; throws a ConfigError naming the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
	const present = Object.fromEntries(
		Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
	);
	const result = configSchema.safeParse(present);
	if (!result.success) {
		const issue = result.error.issues[0];
		const name = String(issue?.path[0] ?? 'configuration');
		throw new ConfigError(`Invalid configuration: ${name} ${issue?.message ?? 'is invalid'}.`);
	}
	const config = result.data;
	if (config.NODE_ENV === 'production' && config.SMS_SENDER === 'dev') {
		throw new ConfigError(
			'Invalid configuration: SMS_SENDER=dev is not allowed in production; use webhook, or AUTH_MODE=password with SMS_SENDER=none.',
		);
	}
	if (config.NODE_ENV === 'production' && !config.OWNER_KEY_SECRET) {
		throw new ConfigError(
			'Invalid configuration: OWNER_KEY_SECRET is required in production (32+ random characters).',
		);
	}
	if (config.SMS_SENDER === 'webhook' && !config.SMS_WEBHOOK_URL) {
		throw new ConfigError(
			'Invalid configuration: SMS_WEBHOOK_URL is required when SMS_SENDER=webhook.',
		);
	}
	if (config.SMS_SENDER === 'dev' && !devSenderReachableOnlyHere(config)) {
		throw new ConfigError(
			`Invalid configuration: SMS_SENDER=dev shows every sign-in code at /dev/outbox, so it runs only on a loopback HOST without TRUST_PROXY (HOST=${config.HOST}, TRUST_PROXY=${config.TRUST_PROXY}); set SMS_SENDER=webhook with SMS_WEBHOOK_URL, or AUTH_MODE=password.`,
		);
	}
	return config;
}

/** 127.0.0.0/8, ::1 and localhost: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
	const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
	return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Whether the development sender's outbox page can be reached from this machine only: a loopback
 * HOST and no proxy forwarding strangers to it (the test suites, NODE_ENV=test, run behind a
 * simulated proxy on loopback to give each request its own address).
 */
function devSenderReachableOnlyHere(config: Config): boolean {
	return isLoopbackHost(config.HOST) && (!config.TRUST_PROXY || config.NODE_ENV === 'test');
}

/** The development SMS sender and its /dev/outbox are on: asked for, and safe where it runs. */
export function devSmsEnabled(config: Config): boolean {
	return (
		config.SMS_SENDER === 'dev' &&
		config.NODE_ENV !== 'production' &&
		devSenderReachableOnlyHere(config)
	);
}

/**
 * What stops this configuration from serving, in one line, or null. Checked by the server at
 * start (scripts that send no text message need no sender).
 */
export function servingProblem(config: Config): string | null {
	if (config.AUTH_MODE === 'sms' && config.SMS_SENDER === 'none')
		return 'Invalid configuration: AUTH_MODE=sms needs an SMS sender: SMS_SENDER=webhook with SMS_WEBHOOK_URL in production, or SMS_SENDER=dev for development on a loopback HOST (codes at /dev/outbox); or AUTH_MODE=password.';
	return null;
}

let cached: Config | undefined;

/** The process configuration, parsed once. */
export function getConfig(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}

/** The owner-key HMAC secret (a fixed, public development key outside production). */
export function ownerKeySecret(config: Config): string {
	return config.OWNER_KEY_SECRET ?? 'gongjian-development-owner-key-not-for-production';
}

/** The public origin used in links that leave the site (QR codes, Open Graph). */
export function publicOrigin(config: Config): string {
	return (config.SITE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}
