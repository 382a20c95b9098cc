import { and, count, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { sealAudit } from '../../../src/lib/server/audit/commands.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import {
	requestLoginCode,
	signInWithPassword,
	verifyLoginCode,
} from '../../../src/lib/server/auth/commands.ts';
import { validateSessionToken } from '../../../src/lib/server/auth/sessions.ts';
import { devSender } from '../../../src/lib/server/auth/sms.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { buildPhone, createStaffUser } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const message = (code: string) => `code ${code}`;

describe.each(drivers)('resident sign-in on %s', (driver) => {
	let t: TestDatabase;
	let ip = 0;
	const ctx = () => ({
		ip: `10.0.0.${++ip}`,
		sender: devSender,
		locale: 'zh-CN' as const,
		message,
	});
	beforeAll(async () => {
		t = await createTestDatabase(driver);
	});
	afterAll(async () => t?.close());

	async function lastCode(phone: string): Promise<string> {
		const [row] = await t.db
			.select()
			.from(s.smsOutbox)
			.where(eq(s.smsOutbox.phone, phone))
			.orderBy(desc(s.smsOutbox.id))
			.limit(1);
		return row!.body.replace('code ', '');
	}

	async function expectError(promise: Promise<unknown>, code: string, key?: string) {
		const error = await promise.then(
			() => null,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(DomainError);
		expect((error as DomainError).code).toBe(code);
		if (key) expect((error as DomainError).messageKey).toBe(key);
		return error as DomainError;
	}

	it('sends a code, signs in, creates the account once, and stores only hashes', async () => {
		const phone = buildPhone();
		await requestLoginCode(t.db, { phone: phone.replace('+86', '') }, ctx());
		const code = await lastCode(phone);
		expect(code).toMatch(/^\d{6}$/);
		const [stored] = await t.db.select().from(s.loginCodes).where(eq(s.loginCodes.phone, phone));
		expect(stored!.codeHash).not.toContain(code);
		const session = await verifyLoginCode(
			t.db,
			{ phone, code },
			{ ip: '10.1.0.1', sessionDays: 30 },
		);
		const [{ n }] = (await t.db
			.select({ n: count() })
			.from(s.sessions)
			.where(eq(s.sessions.userId, session.userId))) as [{ n: number }];
		expect(n).toBe(1);
		const [sessionRow] = await t.db
			.select()
			.from(s.sessions)
			.where(eq(s.sessions.userId, session.userId));
		expect(sessionRow!.id).not.toBe(session.token);
		expect((await validateSessionToken(t.db, session.token, 30))?.user.id).toBe(session.userId);
		expect(await validateSessionToken(t.db, sessionRow!.id, 30)).toBeNull();
	});

	it('refuses a used code (single use)', async () => {
		const phone = buildPhone();
		await requestLoginCode(t.db, { phone }, ctx());
		const code = await lastCode(phone);
		await verifyLoginCode(t.db, { phone, code }, { ip: '10.1.0.2', sessionDays: 30 });
		await expectError(
			verifyLoginCode(t.db, { phone, code }, { ip: '10.1.0.2', sessionDays: 30 }),
			'unauthenticated',
			'auth.codeExpired',
		);
	});

	it('refuses an expired code', async () => {
		const phone = buildPhone();
		const past = new Date(Date.now() - 6 * 60 * 1000);
		await requestLoginCode(t.db, { phone }, { ...ctx(), now: past });
		const code = await lastCode(phone);
		await expectError(
			verifyLoginCode(t.db, { phone, code }, { ip: '10.1.0.3', sessionDays: 30 }),
			'unauthenticated',
			'auth.codeExpired',
		);
	});

	it("closes a code after the asking browser's 5th wrong try, even for the right code afterwards", async () => {
		const phone = buildPhone();
		const { ticket } = await requestLoginCode(t.db, { phone }, ctx());
		const code = await lastCode(phone);
		const wrong = code === '000000' ? '111111' : '000000';
		const own = { ip: '10.1.0.4', sessionDays: 30, ticket };
		for (let i = 1; i <= 4; i++) {
			const error = await expectError(
				verifyLoginCode(t.db, { phone, code: wrong }, own),
				'unauthenticated',
				'auth.codeWrong',
			);
			expect(error.params).toEqual({ left: 5 - i });
		}
		await expectError(
			verifyLoginCode(t.db, { phone, code: wrong }, own),
			'unauthenticated',
			'auth.codeExhausted',
		);
		// (From another address: this one now backs off after five failures.)
		await expectError(
			verifyLoginCode(t.db, { phone, code }, { ...own, ip: '10.1.0.40' }),
			'unauthenticated',
			'auth.codeExhausted',
		);
	});

	it('limits codes per number: one a minute', async () => {
		const phone = buildPhone();
		await requestLoginCode(t.db, { phone }, ctx());
		const error = await expectError(
			requestLoginCode(t.db, { phone }, ctx()),
			'rate_limited',
			'error.rateLimited',
		);
		expect(error.retryAfter).toBeGreaterThan(0);
		expect(error.retryAfter).toBeLessThanOrEqual(60);
	});

	it('answers the same for a known and an unknown number (no enumeration)', async () => {
		const known = buildPhone();
		await requestLoginCode(t.db, { phone: known }, ctx());
		await verifyLoginCode(
			t.db,
			{ phone: known, code: await lastCode(known) },
			{ ip: '10.1.0.5', sessionDays: 30 },
		);
		const later = new Date(Date.now() + 120_000);
		const a = await requestLoginCode(t.db, { phone: known }, { ...ctx(), now: later });
		const b = await requestLoginCode(t.db, { phone: buildPhone() }, { ...ctx(), now: later });
		expect(Object.keys(a)).toEqual(Object.keys(b));
	});

	it('refuses malformed numbers and codes', async () => {
		await expectError(
			requestLoginCode(t.db, { phone: '12345' }, ctx()),
			'invalid',
			'auth.phoneInvalid',
		);
		await expectError(
			verifyLoginCode(t.db, { phone: buildPhone(), code: '12ab56' }, { ip: '1', sessionDays: 30 }),
			'invalid',
			'auth.codeFormat',
		);
	});

	it('signs staff in with argon2id, audits failures, and gives a new session every time', async () => {
		const staff = await createStaffUser(t.db, { roles: ['admin'] });
		const [row] = await t.db
			.select({ hash: s.users.passwordHash })
			.from(s.users)
			.where(eq(s.users.id, staff.userId));
		expect(row!.hash).toMatch(/^\$argon2id\$/);
		const first = await signInWithPassword(
			t.db,
			{ kind: 'staff', login: staff.username.toUpperCase(), password: staff.password },
			{ ip: '10.2.0.1', sessionDays: 1 },
		);
		const second = await signInWithPassword(
			t.db,
			{ kind: 'staff', login: staff.username, password: staff.password },
			{ ip: '10.2.0.1', sessionDays: 1 },
		);
		expect(first.token).not.toBe(second.token);
		await expectError(
			signInWithPassword(
				t.db,
				{ kind: 'staff', login: staff.username, password: 'wrong' },
				{ ip: '10.2.0.1', sessionDays: 1 },
			),
			'unauthenticated',
			'auth.passwordWrong',
		);
		await expectError(
			signInWithPassword(
				t.db,
				{ kind: 'staff', login: 'nobody', password: 'wrong' },
				{ ip: '10.2.0.1', sessionDays: 1 },
			),
			'unauthenticated',
			'auth.passwordWrong',
		);
		const failures = await t.db
			.select()
			.from(s.auditLog)
			.where(eq(s.auditLog.action, 'staff.sign_in_failed'));
		expect(failures.length).toBe(2);
		const signIns = await t.db
			.select()
			.from(s.auditLog)
			.where(and(eq(s.auditLog.action, 'staff.sign_in'), eq(s.auditLog.actorId, staff.userId)));
		expect(signIns).toHaveLength(2);
		await sealAudit(t.db); // what every instance's sealer does after commit
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, pending: 0 });
	});

	it('slows wrong staff passwords down per account (a minute at most), never locks the owner out', async () => {
		const staff = await createStaffUser(t.db, { roles: ['moderator'] });
		const now = new Date();
		const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
		for (let i = 0; i < 3; i++) {
			await expectError(
				signInWithPassword(
					t.db,
					{ kind: 'staff', login: staff.username, password: 'nope' },
					{ ip: `10.3.0.${i}`, sessionDays: 1, now: at(i) },
				),
				'unauthenticated',
			);
		}
		// Strangers keep guessing from eleven more addresses: each must wait its turn.
		let clock = 3;
		let lastFailure = 2;
		for (let i = 3; i < 14; i++) {
			const error = (await signInWithPassword(
				t.db,
				{ kind: 'staff', login: staff.username, password: 'nope' },
				{ ip: `10.3.0.${i}`, sessionDays: 1, now: at(clock) },
			).catch((e: unknown) => e)) as DomainError;
			expect(['rate_limited', 'unauthenticated']).toContain(error.code);
			if (error.code === 'rate_limited') {
				expect(error.retryAfter).toBeLessThanOrEqual(60);
				clock += error.retryAfter!;
			} else lastFailure = clock;
		}
		// Right after a stranger's failure the owner waits, at most a minute, then signs in.
		const refused = await expectError(
			signInWithPassword(
				t.db,
				{ kind: 'staff', login: staff.username, password: staff.password },
				{ ip: '10.3.1.1', sessionDays: 1, now: at(lastFailure) },
			),
			'rate_limited',
		);
		expect(refused.retryAfter).toBeLessThanOrEqual(60);
		const signedIn = await signInWithPassword(
			t.db,
			{ kind: 'staff', login: staff.username, password: staff.password },
			{ ip: '10.3.1.1', sessionDays: 1, now: at(lastFailure + 61) },
		);
		expect(signedIn.kind).toBe('staff');
	});
});
