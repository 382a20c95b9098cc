import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { requestLoginCode, verifyLoginCode } from '../../../src/lib/server/auth/commands.ts';
import { devSender } from '../../../src/lib/server/auth/sms.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { buildPhone } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/** Strangers cannot lock a resident out of a code they just received (issue 20). */
describe.each(drivers)('sign-in codes under guessing on %s', (driver) => {
	let t: TestDatabase;
	let n = 0;
	const ask = (phone: string) =>
		requestLoginCode(
			t.db,
			{ phone },
			{ ip: `10.9.0.${++n}`, sender: devSender, locale: 'zh-CN', message: (c) => `code ${c}` },
		);
	beforeAll(async () => {
		t = await createTestDatabase(driver);
	});
	afterAll(async () => t?.close());

	const codeOf = async (phone: string) => {
		const [row] = await t.db
			.select()
			.from(s.smsOutbox)
			.where(eq(s.smsOutbox.phone, phone))
			.orderBy(desc(s.smsOutbox.id))
			.limit(1);
		return row!.body.replace('code ', '');
	};
	const counts = async (phone: string) => {
		const [row] = await t.db
			.select({ own: s.loginCodes.attempts, foreign: s.loginCodes.foreignAttempts })
			.from(s.loginCodes)
			.where(eq(s.loginCodes.phone, phone))
			.orderBy(desc(s.loginCodes.id))
			.limit(1);
		return row!;
	};

	it('16 wrong codes from 4 addresses leave the owner able to sign in with the code just received', async () => {
		const phone = buildPhone();
		const { ticket } = await ask(phone);
		const code = await codeOf(phone);
		const wrong = code === '000000' ? '111111' : '000000';
		const refusals = new Set<string>();
		for (let i = 0; i < 16; i++) {
			const error = await verifyLoginCode(
				t.db,
				{ phone, code: wrong },
				{ ip: `203.0.113.${i % 4}`, sessionDays: 30 },
			).catch((e: unknown) => e as DomainError);
			expect(error).toBeInstanceOf(DomainError);
			refusals.add((error as DomainError).code);
		}
		expect([...refusals].sort()).toEqual(['rate_limited', 'unauthenticated']);
		const signedIn = await verifyLoginCode(
			t.db,
			{ phone, code },
			{ ip: '198.51.100.7', sessionDays: 30, ticket },
		);
		expect(signedIn.kind).toBe('resident');
	});

	it('50 parallel wrong guesses never take more than 5 tries, from strangers or from the owner', async () => {
		for (const withTicket of [false, true]) {
			const phone = buildPhone();
			const { ticket } = await ask(phone);
			const code = await codeOf(phone);
			const wrong = code === '000000' ? '111111' : '000000';
			const results = await Promise.allSettled(
				Array.from({ length: 50 }, (_, i) =>
					verifyLoginCode(
						t.db,
						{ phone, code: wrong },
						{
							ip: `192.0.2.${i}`,
							sessionDays: 30,
							ticket: withTicket ? ticket : undefined,
						},
					),
				),
			);
			expect(results.every((r) => r.status === 'rejected')).toBe(true);
			const { own, foreign } = await counts(phone);
			expect(own).toBeLessThanOrEqual(5);
			expect(foreign).toBeLessThanOrEqual(5);
			expect(withTicket ? own : foreign).toBeGreaterThan(0);
		}
	});
});
