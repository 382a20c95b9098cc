import { describe, expect, it } from 'vitest';
import {
	ConfigError,
	devSmsEnabled,
	parseConfig,
	publicOrigin,
	servingProblem,
} from '../../../src/lib/server/shared/config.ts';

describe('parseConfig', () => {
	it('gives working defaults for a newcomer (embedded database, port 4321)', () => {
		const config = parseConfig({});
		expect(config.DATABASE_URL).toBeUndefined();
		expect(config.PGLITE_DIR).toBe('./data/pglite');
		expect(config.PORT).toBe(4321);
		expect(config.SEED_DEMO).toBe('embedded');
		expect(config.TRUST_PROXY).toBe(false);
	});

	it('treats empty variables as unset', () => {
		expect(parseConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(4321);
	});

	it.each([
		[{ DATABASE_URL: 'nonsense' }, 'DATABASE_URL'],
		[{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
		[{ PORT: 'abc' }, 'PORT'],
		[{ PORT: '0' }, 'PORT'],
		[{ PORT: '70000' }, 'PORT'],
		[{ PORT: '80.5' }, 'PORT'],
		[{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
		[{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
		[{ SITE_URL: 'javascript:alert(1)' }, 'SITE_URL'],
		[{ HOST: 'a b' }, 'HOST'],
	])('refuses %o with one line naming %s', (env, name) => {
		try {
			parseConfig(env);
			expect.unreachable('should have thrown');
		} catch (error) {
			expect(error).toBeInstanceOf(ConfigError);
			const message = (error as Error).message;
			expect(message).toContain(name);
			expect(message).not.toContain('\n');
		}
	});

	it('accepts a postgres URL and flags', () => {
		const config = parseConfig({
			DATABASE_URL: 'postgresql://app@db.internal:5432/gongjian',
			TRUST_PROXY: 'true',
			PORT: '8080',
		});
		expect(config.DATABASE_URL).toBe('postgresql://app@db.internal:5432/gongjian');
		expect(config.TRUST_PROXY).toBe(true);
		expect(config.PORT).toBe(8080);
	});

	it('accepts a URL listing a primary and its standby, and refuses a broken host list', () => {
		const both = 'postgres://app@db-a:5432,db-b:5433/gongjian?target_session_attrs=primary';
		expect(parseConfig({ DATABASE_URL: both }).DATABASE_URL).toBe(both);
		expect(() => parseConfig({ DATABASE_URL: 'postgres://app@db a:5432,db-b/gongjian' })).toThrow(
			/DATABASE_URL/,
		);
	});

	it('derives the public origin from SITE_URL, else localhost and the port', () => {
		expect(publicOrigin(parseConfig({ PORT: '5000' }))).toBe('http://localhost:5000');
		expect(publicOrigin(parseConfig({ SITE_URL: 'https://gj.example.cn/' }))).toBe(
			'https://gj.example.cn',
		);
	});

	it.each([
		[{ SMS_SENDER: 'dev', HOST: '0.0.0.0' }],
		[{ SMS_SENDER: 'dev', HOST: '192.168.1.10' }],
		[{ SMS_SENDER: 'dev', TRUST_PROXY: 'true' }],
		[{ SMS_SENDER: 'dev', TRUST_PROXY: 'true', NODE_ENV: 'development' }],
	])('refuses the development sender where strangers could read /dev/outbox: %o', (env) => {
		expect(() => parseConfig(env)).toThrow(/SMS_SENDER=dev.*loopback/);
	});

	it('runs the development sender only when asked for, on loopback', () => {
		expect(devSmsEnabled(parseConfig({}))).toBe(false);
		expect(parseConfig({}).SMS_SENDER).toBe('none');
		expect(servingProblem(parseConfig({}))).toContain('AUTH_MODE=sms');
		expect(devSmsEnabled(parseConfig({ SMS_SENDER: 'dev' }))).toBe(true);
		expect(devSmsEnabled(parseConfig({ SMS_SENDER: 'dev', HOST: '::1' }))).toBe(true);
		expect(servingProblem(parseConfig({ SMS_SENDER: 'dev' }))).toBeNull();
		expect(servingProblem(parseConfig({ AUTH_MODE: 'password' }))).toBeNull();
		// The test suites simulate a proxy on loopback.
		expect(
			devSmsEnabled(parseConfig({ SMS_SENDER: 'dev', TRUST_PROXY: 'true', NODE_ENV: 'test' })),
		).toBe(true);
	});
});
