/**
 * The ballot form answered before Astro (src/lib/server/http/ballot-post.ts), over real HTTP on
 * a real database, with a stub standing in for Astro: the plain case is answered here (303 to
 * `?saved=<revision>`, ballot, revision, audit entry and tallies written); every other case
 * reaches "Astro" with the body exactly as sent and nothing written.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../../db/client.ts';
import { sessionIdFromToken } from '../../../src/lib/server/auth/secrets.ts';
import { createSession } from '../../../src/lib/server/auth/sessions.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { verifyRound } from '../../../src/lib/server/ballots/recount.ts';
import { createFastPath } from '../../../src/lib/server/http/fast-path.ts';
import type { ResidentActor, StaffActor } from '../../../src/lib/server/policy/types.ts';
import {
	createMember,
	createOpenRound,
	menuItemIds,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

type Seen = { url: string; body: string };

describe.each(drivers)('the ballot form before Astro on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let households: Households;
	let dujuan: number;
	let roundId: number;
	let consentRoundId: number;
	let itemIds: number[];
	let owner: ResidentActor;
	let family: ResidentActor;
	let ownerCookie: string;
	let familyCookie: string;
	let server: http.Server;
	let base: string;
	const seen: Seen[] = [];

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ moderator, households, dujuan } = await setUpDujuan(t.db));
		roundId = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			itemIds: await menuItemIds(t.db, 3),
		});
		consentRoundId = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			kind: 'special',
			itemIds: await menuItemIds(t.db, 2),
			rule: 'civil_code_three_quarters',
		});
		itemIds = (await loadRound(t.db, roundId))!.items.map((i) => i.id);
		owner = await createMember(t.db, moderator, households[0]!.id, 'owner');
		family = await createMember(t.db, moderator, households[0]!.id, 'family');
		ownerCookie = `gj_session=${(await createSession(t.db, owner.userId, 30)).token}`;
		familyCookie = `gj_session=${(await createSession(t.db, family.userId, 30)).token}`;
		// Astro's stand-in: records what reached it, reading the body the way the Node adapter does.
		const astro = (req: http.IncomingMessage, res: http.ServerResponse) => {
			const given = (req as http.IncomingMessage & { body?: Buffer }).body;
			const record = (body: string) => {
				seen.push({ url: req.url!, body });
				res.writeHead(418, { 'content-type': 'text/plain' }).end('astro');
			};
			if (given) return record(given.toString('utf8'));
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => record(Buffer.concat(chunks).toString('utf8')));
		};
		server = http.createServer(
			createFastPath({ db: t.db, trustProxy: false, sessionDays: 30 }, astro),
		);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await new Promise((resolve) => server?.close(resolve));
		await t?.close();
	});
	beforeEach(() => {
		seen.length = 0;
	});

	const household = () => households[0]!.id;
	const form = (extra: Record<string, string> = {}, round = roundId, ids = itemIds) => {
		const body = new URLSearchParams({
			roundId: String(round),
			householdId: String(household()),
			comment: '楼道灯<b>坏了</b>',
		});
		ids.forEach((id, k) => body.set(`choices.${id}`, ['agree', 'disagree', 'abstain'][k % 3]!));
		for (const [key, value] of Object.entries(extra)) body.set(key, value);
		return body.toString();
	};
	const post = (
		body: string,
		options: { cookie?: string; origin?: string | null; path?: string } = {},
	) =>
		fetch(
			base + (options.path ?? `/rounds/${roundId}/ballot/${household()}?_action=ballots.cast`),
			{
				method: 'POST',
				redirect: 'manual',
				body,
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					cookie: options.cookie ?? ownerCookie,
					...(options.origin === null ? {} : { origin: options.origin ?? base }),
				},
			},
		);
	const revisions = async (round = roundId) =>
		(
			await queryRows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from ballot_revisions where round_id = ${round}`,
			)
		)[0]!.n;

	it('records a plain ballot itself: 303 to the saved page, with the audit entry and the tallies', async () => {
		const before = await revisions();
		const response = await post(form());
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(
			`/rounds/${roundId}/ballot/${household()}?saved=${before + 1}`,
		);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('x-request-id')).toBeTruthy();
		expect(seen).toEqual([]);
		const [ballot] = await queryRows<Record<string, unknown>>(
			t.db,
			sql`select revision, channel::text, cast_by, comment, choices from ballots
			    where round_id = ${roundId} and household_id = ${household()}`,
		);
		expect(ballot).toMatchObject({
			revision: before + 1,
			channel: 'online',
			cast_by: owner.userId,
			comment: '楼道灯<b>坏了</b>',
		});
		const audit = await queryRows<{ actor_id: string; details: Record<string, unknown> }>(
			t.db,
			sql`select actor_id, details from audit_log where action = 'ballot.cast'
			    and target_id = ${String(household())} order by id desc limit 1`,
		);
		expect(audit[0]).toMatchObject({
			actor_id: owner.userId,
			details: { roundId, revision: before + 1, counted: true, conflict: false },
		});
		expect((await verifyRound(t.db, (await loadRound(t.db, roundId))!)).problems).toEqual([]);
	});

	it('answers in the locale of the page, for any member of the household', async () => {
		const before = await revisions();
		const response = await post(form(), {
			cookie: familyCookie,
			path: `/en/rounds/${roundId}/ballot/${household()}?_action=ballots.cast`,
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(
			`/en/rounds/${roundId}/ballot/${household()}?saved=${before + 1}`,
		);
		expect(seen).toEqual([]);
	});

	const expired = async () => {
		const { token } = await createSession(t.db, owner.userId, 30);
		await t.db.execute(sql`update sessions set expires_at = now() - interval '1 minute'
			where id = ${sessionIdFromToken(token)}`);
		return `gj_session=${token}`;
	};
	const dueForExtension = async () => {
		const { token } = await createSession(t.db, family.userId, 30);
		await t.db.execute(sql`update sessions set expires_at = now() + interval '3 days'
			where id = ${sessionIdFromToken(token)}`);
		return `gj_session=${token}`;
	};

	const handedOver: [
		string,
		() => Promise<{ body: string; cookie?: string; origin?: string | null; path?: string }>,
	][] = [
		['an incomplete ballot', async () => ({ body: form().replace(/&choices\.\d+=agree/, '') })],
		['a field sent twice', async () => ({ body: `${form()}&comment=again` })],
		['a field the form never sends', async () => ({ body: `${form()}&role=admin` })],
		['an unknown choice', async () => ({ body: form({ [`choices.${itemIds[0]}`]: 'maybe' }) })],
		['another origin', async () => ({ body: form(), origin: 'https://evil.example' })],
		['no origin', async () => ({ body: form(), origin: null })],
		['no session', async () => ({ body: form(), cookie: '' })],
		['a forged session', async () => ({ body: form(), cookie: `gj_session=${'A'.repeat(43)}` })],
		['an expired session', async () => ({ body: form(), cookie: await expired() })],
		[
			'a session lucia would extend',
			async () => ({ body: form(), cookie: await dueForExtension() }),
		],
		[
			'another household than the page',
			async () => ({ body: form({ householdId: String(households[1]!.id) }) }),
		],
		[
			'a household the resident is not a member of',
			async () => ({
				body: form({ householdId: String(households[1]!.id) }),
				path: `/rounds/${roundId}/ballot/${households[1]!.id}?_action=ballots.cast`,
			}),
		],
		[
			'a consent round, by a family member without authorisation',
			async () => {
				const ids = (await loadRound(t.db, consentRoundId))!.items.map((i) => i.id);
				return {
					body: form({}, consentRoundId, ids),
					cookie: familyCookie,
					path: `/rounds/${consentRoundId}/ballot/${household()}?_action=ballots.cast`,
				};
			},
		],
	];

	it.each(handedOver)(
		'hands %s to Astro with the body as sent, writing nothing',
		async (_, make) => {
			const before = await revisions();
			const request = await make();
			const response = await post(request.body, request);
			expect(response.status).toBe(418);
			expect(seen).toHaveLength(1);
			expect(seen[0]!.body).toBe(request.body);
			expect(await revisions()).toBe(before);
		},
	);

	it('a consent round takes an owner’s ballot itself', async () => {
		const ids = (await loadRound(t.db, consentRoundId))!.items.map((i) => i.id);
		const response = await post(form({}, consentRoundId, ids), {
			path: `/rounds/${consentRoundId}/ballot/${household()}?_action=ballots.cast`,
		});
		expect(response.status).toBe(303);
		expect(seen).toEqual([]);
		expect(await revisions(consentRoundId)).toBe(1);
	});

	it('leaves other requests alone: other actions, other paths, staff', async () => {
		const staffCookie = `gj_session=${(await createSession(t.db, moderator.userId, 1)).token}`;
		for (const request of [
			{ path: `/rounds/${roundId}/ballot/${household()}?_action=ballots.enterPaper` },
			{ path: `/rounds/${roundId}/ballot/${household()}` },
			{ path: `/_actions/ballots.cast` },
			{ cookie: staffCookie },
		]) {
			const before = await revisions();
			expect((await post(form(), request)).status).toBe(418);
			expect(await revisions()).toBe(before);
		}
		expect(seen).toHaveLength(4);
	});

	it('hands a closed round to Astro: the database clock decides, nothing is written', async () => {
		const closing = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			itemIds: await menuItemIds(t.db, 1),
		});
		const ids = (await loadRound(t.db, closing))!.items.map((i) => i.id);
		const path = `/rounds/${closing}/ballot/${household()}?_action=ballots.cast`;
		expect((await post(form({}, closing, ids), { path })).status).toBe(303);
		await t.db.execute(
			sql`update rounds set closes_at = now() - interval '1 second' where id = ${closing}`,
		);
		expect((await post(form({}, closing, ids), { path })).status).toBe(418);
		expect(await revisions(closing)).toBe(1);
	});

	it('survives a client hanging up mid-body while the database answers', async () => {
		const before = await revisions();
		const body = form();
		const url = new URL(base);
		const hangUp = () =>
			new Promise<void>((resolve) => {
				const socket = net.connect(Number(url.port), url.hostname, () => {
					socket.write(
						`POST /rounds/${roundId}/ballot/${household()}?_action=ballots.cast HTTP/1.1\r\n` +
							`Host: ${url.host}\r\nOrigin: ${base}\r\nCookie: ${ownerCookie}\r\n` +
							`Content-Type: application/x-www-form-urlencoded\r\n` +
							`Content-Length: ${body.length + 100}\r\n\r\n${body.slice(0, 20)}`,
					);
					setTimeout(() => socket.destroy(), 20);
				});
				socket.on('close', () => resolve());
				socket.on('error', () => resolve());
			});
		if (t.driver === 'postgres') {
			// The session read waits on a lock while the client hangs up: the body's rejection
			// comes before anyone awaits it, and must not be an unhandled rejection.
			const other = await openDatabase({ databaseUrl: t.url!, poolMax: 1 });
			try {
				await other.db.transaction(async (tx) => {
					await tx.execute(sql`lock table sessions in access exclusive mode`);
					await hangUp();
					await new Promise((resolve) => setTimeout(resolve, 100));
				});
			} finally {
				await other.close();
			}
		} else {
			await hangUp();
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(await revisions()).toBe(before);
		// Still serving.
		expect((await post(form())).status).toBe(303);
	});

	it('parallel ballots of one household from two phones: every one saved, one current ballot', async () => {
		const before = await revisions();
		const responses = await Promise.all(
			Array.from({ length: 60 }, (_, n) =>
				post(form({ comment: `第${n}次` }), { cookie: n % 2 ? familyCookie : ownerCookie }),
			),
		);
		expect(responses.map((r) => r.status)).toEqual(Array(60).fill(303));
		const saved = responses.map((r) => Number(/saved=(\d+)/.exec(r.headers.get('location')!)![1]));
		expect(new Set(saved).size).toBe(60);
		expect(await revisions()).toBe(before + 60);
		const [row] = await queryRows<{ n: number; revision: number }>(
			t.db,
			sql`select count(*)::int as n, max(revision) as revision from ballots
			    where round_id = ${roundId} and household_id = ${household()}`,
		);
		expect(row).toEqual({ n: 1, revision: before + 60 });
		expect((await verifyRound(t.db, (await loadRound(t.db, roundId))!)).problems).toEqual([]);
	});
});
