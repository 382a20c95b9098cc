import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	AuditEntryError,
	canonicalJson,
	GENESIS_HASH,
	hashEntry,
	isSecretKey,
	MAX_DETAILS_CHARS,
	normaliseEntry,
} from '../../../src/lib/server/audit/chain.ts';
import type { AuditContent, AuditEntryInput } from '../../../src/lib/server/audit/types.ts';

describe('canonicalJson', () => {
	it.each([
		['sorts keys', { b: 1, a: 2 }, '{"a":2,"b":1}'],
		[
			'sorts nested keys',
			{ z: { y: 1, x: [{ d: 1, c: 2 }] } },
			'{"z":{"x":[{"c":2,"d":1}],"y":1}}',
		],
		['keeps array order', [3, 1, 2], '[3,1,2]'],
		['sorts by code unit, uppercase first', { b: 1, B: 2, a: 3 }, '{"B":2,"a":3,"b":1}'],
		['drops undefined object values', { a: undefined, b: null }, '{"b":null}'],
		[
			'writes scalars like JSON',
			[true, false, null, 0, -0, 1.5, 1e21, 'x'],
			'[true,false,null,0,0,1.5,1e+21,"x"]',
		],
		['keeps Chinese text as is', { 名称: '梅岭社区' }, '{"名称":"梅岭社区"}'],
		['escapes quotes and control characters', { s: 'a"b\n' }, '{"s":"a\\"b\\n"}'],
		[
			'accepts null-prototype objects',
			Object.assign(Object.create(null), { b: 1, a: 1 }),
			'{"a":1,"b":1}',
		],
		['writes empty containers', { a: {}, b: [] }, '{"a":{},"b":[]}'],
	])('%s', (_name, value, expected) => {
		expect(canonicalJson(value)).toBe(expected);
	});

	it.each([
		['NaN', { a: Number.NaN }],
		['Infinity', [Number.POSITIVE_INFINITY]],
		['bigint', { a: 1n }],
		['a function', { a: () => 1 }],
		['undefined in an array', [1, undefined]],
		['a hole in an array', [1, , 2]], // eslint-disable-line no-sparse-arrays
		['a Date', { at: new Date(0) }],
		['a Map', { m: new Map() }],
		['a NUL character', { s: 'a\u0000b' }],
		['a lone surrogate', { s: '\ud800' }],
		['a lone surrogate in a key', { ['\udc00']: 1 }],
		['undefined itself', undefined],
	])('refuses %s', (_name, value) => {
		expect(() => canonicalJson(value)).toThrow(AuditEntryError);
	});

	it('refuses cycles instead of overflowing the stack', () => {
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		expect(() => canonicalJson(cyclic)).toThrow(/nested too deeply/);
	});

	// Values as PostgreSQL's jsonb returns them: what the verifier re-hashes.
	const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

	it('is valid JSON that parses back to the same value', () => {
		fc.assert(
			fc.property(json, (value) => {
				const text = canonicalJson(value);
				expect(JSON.parse(text)).toEqual(value);
				expect(canonicalJson(JSON.parse(text))).toBe(text);
			}),
		);
	});

	it('does not depend on key insertion order', () => {
		const reversed = (v: unknown): unknown => {
			if (Array.isArray(v)) return v.map(reversed);
			if (v && typeof v === 'object') {
				return Object.fromEntries(
					Object.entries(v)
						.reverse()
						.map(([k, inner]) => [k, reversed(inner)]),
				);
			}
			return v;
		};
		fc.assert(
			fc.property(json, (value) => canonicalJson(reversed(value)) === canonicalJson(value)),
		);
	});

	it('matches JSON.stringify for values without objects', () => {
		const flat = fc.array(
			fc.oneof(
				fc.string(),
				fc.double({ noNaN: true, noDefaultInfinity: true }),
				fc.boolean(),
				fc.constant(null),
			),
		);
		fc.assert(fc.property(flat, (value) => canonicalJson(value) === JSON.stringify(value)));
	});
});

const content: AuditContent = {
	at: '2026-11-05T01:02:03.456Z',
	actorId: 'u_moderator',
	actorKind: 'staff',
	action: 'household.codes_issued',
	targetType: 'compound',
	targetId: '7',
	communityId: 3,
	details: { count: 30, building: '3' },
};

describe('hashEntry', () => {
	it('hashes the previous hash, a newline and the canonical content (pinned)', () => {
		const canonical =
			'{"action":"household.codes_issued","actorId":"u_moderator","actorKind":"staff",' +
			'"at":"2026-11-05T01:02:03.456Z","communityId":3,"details":{"building":"3","count":30},' +
			'"targetId":"7","targetType":"compound"}';
		expect(canonicalJson(content)).toBe(canonical);
		const expected = createHash('sha256').update(`${GENESIS_HASH}\n${canonical}`).digest('hex');
		expect(hashEntry(GENESIS_HASH, content)).toBe(expected);
		// Pinned: changing the format silently would make every stored chain fail verification.
		expect(hashEntry(GENESIS_HASH, content)).toBe(
			'272462383cfe908ed64952151bae5f331f8e9a5b0ddcc2986a8798b54a094010',
		);
	});

	it('is deterministic whatever the key order of the content', () => {
		const shuffled = Object.fromEntries(Object.entries(content).reverse()) as AuditContent;
		expect(hashEntry(GENESIS_HASH, shuffled)).toBe(hashEntry(GENESIS_HASH, content));
	});

	it.each([
		['at', { at: '2026-11-05T01:02:03.457Z' }],
		['actorId', { actorId: 'u_other' }],
		['actorKind', { actorKind: 'resident' as const }],
		['action', { action: 'household.codes_revoked' }],
		['targetType', { targetType: 'building' }],
		['targetId', { targetId: '8' }],
		['targetId null', { targetId: null }],
		['communityId', { communityId: 4 }],
		['communityId null', { communityId: null }],
		['details value', { details: { count: 31, building: '3' } }],
		['details type', { details: { count: '30', building: '3' } }],
		['details key', { details: { count: 30 } }],
	])('changes when %s changes', (_field, change) => {
		expect(hashEntry(GENESIS_HASH, { ...content, ...change })).not.toBe(
			hashEntry(GENESIS_HASH, content),
		);
	});

	it('changes with the previous hash', () => {
		expect(hashEntry('f'.repeat(64), content)).not.toBe(hashEntry(GENESIS_HASH, content));
	});
});

describe('isSecretKey', () => {
	it.each([
		['password', true],
		['newPassword', true],
		['password_hash', true],
		['sessionToken', true],
		['smsCode', true],
		['inviteCode', true],
		['verification_code', true],
		['codes', false],
		['householdCodes', false],
		['id_card', true],
		['idCardNo', true],
		['phone', true],
		['mobileMasked', true],
		['OTP', true],
		['footprint', false],
		['tokenize_count', false],
		['telephoneless', false],
		['count', false],
		['reason', false],
		['ballotId', false],
		['encoding', false],
	])('%s → %s', (key, expected) => {
		expect(isSecretKey(key)).toBe(expected);
	});
});

describe('normaliseEntry', () => {
	const base: AuditEntryInput = {
		actorId: 'u1',
		actorKind: 'staff',
		action: 'project.updated',
		at: new Date('2026-01-02T03:04:05.678Z'),
	};

	it('fills defaults and turns a numeric target id into text', () => {
		const { content: c, at } = normaliseEntry({ ...base, targetType: 'project', targetId: 12 });
		expect(c).toEqual({
			at: '2026-01-02T03:04:05.678Z',
			actorId: 'u1',
			actorKind: 'staff',
			action: 'project.updated',
			targetType: 'project',
			targetId: '12',
			communityId: null,
			details: {},
		});
		expect(at.getTime()).toBe(base.at!.getTime());
		expect(at).not.toBe(base.at);
	});

	it('stores details as their canonical JSON values', () => {
		const { content: c } = normaliseEntry({ ...base, details: { b: [1, 'x'], a: undefined } });
		expect(c.details).toEqual({ b: [1, 'x'] });
		expect(Object.keys(c.details)).toEqual(['b']);
	});

	it('accepts a system entry without actor', () => {
		expect(
			normaliseEntry({ actorId: null, actorKind: 'system', action: 'round.closed' }).content
				.actorId,
		).toBeNull();
	});

	it.each<[string, Partial<AuditEntryInput>, RegExp]>([
		['system with an actor', { actorKind: 'system' }, /actorId/],
		['staff without an actor', { actorId: null }, /actorId/],
		['an unknown actor kind', { actorKind: 'robot' as never }, /actorKind/],
		['an undotted action', { action: 'signin' }, /action/],
		['an action with capitals', { action: 'Staff.sign_in' }, /action/],
		['an action with spaces', { action: 'staff.sign in' }, /action/],
		['a target id without type', { targetId: '1' }, /targetType/],
		['a bad target type', { targetType: 'Project' }, /targetType/],
		['a fractional community id', { communityId: 1.5 }, /communityId/],
		['a zero community id', { communityId: 0 }, /communityId/],
		['an invalid date', { at: new Date(Number.NaN) }, /at:/],
		['a date past 9999', { at: new Date('+010000-01-01T00:00:00Z') }, /at:/],
		['an empty actor id', { actorId: '' }, /actorId/],
		['array details', { details: [] as never }, /details/],
		['a password in details', { details: { newPassword: 'x' } }, /secrets/],
		['a phone key deep in details', { details: { who: { phoneNumber: 'x' } } }, /secrets/],
		['a token in details', { details: { sessionToken: 'x' } }, /secrets/],
		['huge details', { details: { s: 'x'.repeat(MAX_DETAILS_CHARS) } }, /longer/],
	])('refuses %s', (_name, change, message) => {
		const attempt = () => normaliseEntry({ ...base, ...change });
		expect(attempt).toThrow(AuditEntryError);
		expect(attempt).toThrow(message);
	});

	it.each([
		['a phone number in text', '联系 13912345678 王', '联系 [phone] 王'],
		['a +86 number', '+8613912345678', '[phone]'],
		['an 86 number', '8613912345678', '[phone]'],
		['two numbers', '13912345678,15012345678', '[phone],[phone]'],
		['not a mobile prefix', 'A-12345678901', 'A-12345678901'],
		['a longer number', '139123456789', '139123456789'],
		['a NUL character', 'a\u0000b', 'ab'],
		['a lone surrogate', '\ud800x', '\ufffdx'],
	])('cleans user-supplied details strings: %s', (_name, raw, stored) => {
		const details = { login: raw, nested: [{ note: raw }] };
		expect(normaliseEntry({ ...base, details }).content.details).toEqual({
			login: stored,
			nested: [{ note: stored }],
		});
	});

	it('leaves numbers alone: only strings are searched for phone numbers', () => {
		const details = { households: 139, ids: [13912345678], codes: 3 };
		expect(normaliseEntry({ ...base, details }).content.details).toEqual(details);
	});
});
