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

const configSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
	DATABASE_URL: z
		.string()
		.trim()
		.refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
			message: 'must be a postgres:// or postgresql:// URL',
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
	return result.data;
}

let cached: Config | undefined;

/** The process configuration, parsed once. */
export function getConfig(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}

/** The public origin used in links that leave the site (QR codes, Open Graph). */
export function publicOrigin(config: Config): string {
	return (config.SITE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}
