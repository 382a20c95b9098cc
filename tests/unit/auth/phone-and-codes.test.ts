import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from '../../../src/lib/server/auth/phone.ts';
import {
	formatInviteCode,
	generateInviteCode,
	generateLoginCode,
	hashLoginCode,
	INVITE_ALPHABET,
	INVITE_LENGTH,
	normalizeInviteCode,
	sameDigest,
	sessionIdFromToken,
} from '../../../src/lib/server/auth/secrets.ts';
import { clientIp } from '../../../src/lib/server/http/client-ip.ts';

describe('normalizePhone', () => {
	it.each([
		['13800138000', '+8613800138000'],
		['138 0013 8000', '+8613800138000'],
		['138-0013-8000', '+8613800138000'],
		['+86 138 0013 8000', '+8613800138000'],
		['008613800138000', '+8613800138000'],
		['8613800138000', '+8613800138000'],
		['１３８００１３８０００', '+8613800138000'],
		['19912345678', '+8619912345678'],
	])('%s → %s', (input, expected) => {
		expect(normalizePhone(input)).toBe(expected);
	});
	it.each([
		'12800138000',
		'1380013800',
		'138001380001',
		'+1 415 555 0100',
		'abc',
		'',
		'10086',
		'+86 02012345678',
	])('refuses %s', (input) => {
		expect(normalizePhone(input)).toBeNull();
	});
	it('masks for staff', () => {
		expect(maskPhone('+8613800138000')).toBe('138****8000');
	});
});

describe('sign-in codes', () => {
	it('are 6 digits and hashed per phone', () => {
		for (let i = 0; i < 200; i++) expect(generateLoginCode()).toMatch(/^\d{6}$/);
		expect(hashLoginCode('+8613800138000', '123456')).not.toBe(
			hashLoginCode('+8613900139000', '123456'),
		);
		expect(
			sameDigest(hashLoginCode('+8613800138000', '1'), hashLoginCode('+8613800138000', '1')),
		).toBe(true);
		expect(sameDigest('ab', '')).toBe(false);
	});
});

describe('household invitation codes', () => {
	it('carry at least 50 bits: 12 characters of a 32-letter alphabet without look-alikes', () => {
		expect(INVITE_ALPHABET).toHaveLength(32);
		expect(INVITE_LENGTH * Math.log2(INVITE_ALPHABET.length)).toBeGreaterThanOrEqual(50);
		expect(INVITE_ALPHABET).not.toMatch(/[01IO]/);
		const seen = new Set<string>();
		for (let i = 0; i < 2000; i++) {
			const code = generateInviteCode();
			expect(code).toMatch(new RegExp(`^[${INVITE_ALPHABET}]{12}$`));
			seen.add(code);
		}
		expect(seen.size).toBe(2000);
	});
	it.each([
		['ABCD-EFGH-JKLM', 'ABCDEFGHJKLM'],
		['abcd efgh jklm', 'ABCDEFGHJKLM'],
		['ＡＢＣＤ－ＥＦＧＨ－ＪＫＬＭ', 'ABCDEFGHJKLM'],
		['ABCDEFGHJKL', null],
		['ABCDEFGHJKLO', null],
		['<script>alert', null],
	])('normalises %s → %s', (input, expected) => {
		expect(normalizeInviteCode(input)).toBe(expected);
	});
	it('prints in groups of four', () => {
		expect(formatInviteCode('ABCDEFGHJKLM')).toBe('ABCD-EFGH-JKLM');
	});
});

describe('session ids', () => {
	it('are the hash of the token, never the token', () => {
		const id = sessionIdFromToken('token');
		expect(id).toMatch(/^[0-9a-f]{64}$/);
		expect(id).not.toContain('token');
	});
});

describe('clientIp', () => {
	const headers = new Headers({ 'x-forwarded-for': '1.2.3.4, 10.0.0.9' });
	it('uses the socket unless the proxy is trusted', () => {
		expect(clientIp(headers, '127.0.0.1', false)).toBe('127.0.0.1');
		expect(clientIp(headers, '127.0.0.1', true)).toBe('10.0.0.9');
		expect(clientIp(new Headers({ 'x-forwarded-for': 'bogus value' }), '127.0.0.1', true)).toBe(
			'127.0.0.1',
		);
	});
});
