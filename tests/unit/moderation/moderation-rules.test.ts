import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	blockEnd,
	decide,
	isHeld,
	parseQueueQuery,
	waitingDays,
} from '../../../src/lib/server/moderation/rules.ts';
import type { ModerationOp, OpinionState } from '../../../src/lib/server/moderation/types.ts';

type Case = [ModerationOp, OpinionState, string, boolean, OpinionState | null, string | null];

describe('decide(op, opinion, reason)', () => {
	// op, state, current reason, queued → new state (null: refused), notification
	const cases: Case[] = [
		['approve', 'pending', '', true, 'published', 'opinion.approved'],
		['approve', 'hidden', '', true, 'published', 'opinion.restored'],
		['approve', 'published', '', true, 'published', null],
		['approve', 'published', '', false, null, null],
		['approve', 'hidden', '广告', false, null, null],
		['approve', 'rejected', '广告', false, null, null],
		['hide', 'published', '', false, 'hidden', 'opinion.hidden'],
		['hide', 'pending', '', true, 'hidden', 'opinion.hidden'],
		['hide', 'hidden', '', true, 'hidden', 'opinion.hidden'],
		['hide', 'hidden', '广告', false, null, null],
		['hide', 'rejected', '广告', false, null, null],
		['restore', 'hidden', '广告', false, 'published', 'opinion.restored'],
		['restore', 'hidden', '', true, 'published', 'opinion.restored'],
		['restore', 'rejected', '广告', false, 'published', 'opinion.restored'],
		['restore', 'published', '', false, null, null],
		['restore', 'pending', '', true, null, null],
		['reject', 'pending', '', true, 'rejected', 'opinion.rejected'],
		['reject', 'published', '', false, 'rejected', 'opinion.rejected'],
		['reject', 'hidden', '广告', false, 'rejected', 'opinion.rejected'],
		['reject', 'rejected', '广告', false, null, null],
	];
	for (const [op, state, reason, queued, to, notify] of cases) {
		it(`${op} · ${state}${reason ? ` (${reason})` : ''}${queued ? ' · queued' : ''} → ${to ?? 'refused'}`, () => {
			const decision = decide(op, { state, reason, queued }, '涉及个人信息');
			if (to === null) return expect(decision).toBeNull();
			expect(decision).toEqual({
				to,
				reason: to === 'hidden' || to === 'rejected' ? '涉及个人信息' : '',
				notify,
			});
		});
	}

	it('refuses to hide or reject without a reason', () => {
		expect(decide('hide', { state: 'published', reason: '', queued: false }, '')).toBeNull();
		expect(decide('reject', { state: 'pending', reason: '', queued: true }, '')).toBeNull();
	});

	it('calls a hidden opinion without a reason "held" (hidden after reports)', () => {
		expect(isHeld('hidden', '')).toBe(true);
		expect(isHeld('hidden', '广告')).toBe(false);
		expect(isHeld('published', '')).toBe(false);
	});
});

describe('waiting days and blocks', () => {
	const DAY = 86_400_000;
	it('counts whole days waited, never negative', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 4_000_000_000_000 }),
				fc.integer({ min: -10 * DAY, max: 3650 * DAY }),
				(start, elapsed) => {
					const days = waitingDays(new Date(start), new Date(start + elapsed));
					expect(days).toBe(elapsed < 0 ? 0 : Math.floor(elapsed / DAY));
					expect(days * DAY).toBeLessThanOrEqual(Math.max(0, elapsed));
				},
			),
		);
	});

	it('ends a block exactly `days` days later', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 4_000_000_000_000 }),
				fc.integer({ min: 1, max: 365 }),
				(t, d) => {
					expect(blockEnd(new Date(t), d).getTime() - t).toBe(d * DAY);
				},
			),
		);
	});
});

describe('parseQueueQuery', () => {
	const cases: [string, ReturnType<typeof parseQueueQuery>][] = [
		[
			'',
			{
				status: 'open',
				projectId: undefined,
				reason: undefined,
				olderThanDays: undefined,
				page: 1,
			},
		],
		[
			'status=hidden&project=12&reason=spam&age=7&page=3',
			{ status: 'hidden', projectId: 12, reason: 'spam', olderThanDays: 7, page: 3 },
		],
		[
			'reason=words&status=all',
			{ status: 'all', projectId: undefined, reason: 'words', olderThanDays: undefined, page: 1 },
		],
		[
			'status=deleted&project=-1&reason=%3Cx%3E&age=2&page=abc',
			{
				status: 'open',
				projectId: undefined,
				reason: undefined,
				olderThanDays: undefined,
				page: 1,
			},
		],
	];
	for (const [query, expected] of cases) {
		it(`"${query}"`, () => expect(parseQueueQuery(new URLSearchParams(query))).toEqual(expected));
	}
});
