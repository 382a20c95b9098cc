import { describe, expect, it } from 'vitest';
import { isActionRequest, withActionMessage } from '../../src/lib/server/http/action-errors.ts';
import { isMalformedJson } from '../../src/lib/server/http/body-limit.ts';
import {
	isDatabaseUnavailable,
	markDatabaseDown,
	markDatabaseUp,
	refuseWhileDown,
} from '../../src/lib/server/http/unavailable.ts';
import { executableMarkers } from './html-scan.ts';

/** The pure helpers behind the corpus's fixes and checks, table-driven. */
describe('executableMarkers finds a payload only where it would run', () => {
	it.each([
		[`<input value="'><svg/onload=alert('gj-xss')>">`, []],
		[`<p>'><svg/onload=alert('gj-xss')></p>`, ['<svg onload>']],
		[`<p>&lt;script&gt;alert("gj-xss")&lt;/script&gt;</p>`, []],
		[`<textarea></textarea><script>alert("gj-xss")</script>`, ['<script> content']],
		[`<textarea>&lt;/textarea&gt;<script>alert("gj-xss")</script></textarea>`, []],
		[`<a href="javascript:alert(&quot;gj-xss&quot;)//">x</a>`, ['<a href=javascript:>']],
		[`<a href="/login?next=javascript:alert(gj-xss)">x</a>`, []],
		[`<img src=x onerror=alert("gj-xss")>`, ['<img onerror>']],
		[`<!-- <img src=x onerror=alert("gj-xss")> -->`, []],
	])('%s', (html, found) => {
		expect(executableMarkers(html, 'gj-xss')).toEqual(found);
	});
});

describe('database outage classification', () => {
	it.each([
		[{ code: 'ECONNREFUSED' }, true],
		[{ code: '57P01' }, true],
		[{ code: '53100' }, true],
		[{ code: '08006' }, true],
		[{ message: 'Failed query', cause: { code: 'CONNECTION_CLOSED' } }, true],
		[{ code: '23505' }, false],
		[{ code: '40P01' }, false],
		[new Error('boom'), false],
		[null, false],
	])('%j → %s', (error, expected) => {
		expect(isDatabaseUnavailable(error)).toBe(expected);
	});

	it('refuses for a second after a failure, then lets one probe through until it succeeds', () => {
		markDatabaseUp();
		expect(refuseWhileDown(1000)).toBe(false);
		markDatabaseDown(1000);
		expect(refuseWhileDown(1500)).toBe(true);
		expect(refuseWhileDown(2001)).toBe(false); // the probe
		expect(refuseWhileDown(2002)).toBe(true); // others wait for it
		markDatabaseUp();
		expect(refuseWhileDown(2003)).toBe(false);
	});
});

describe('action request edges', () => {
	it.each([
		['{"a":', 'application/json', true],
		['[[[[', 'application/json; charset=utf-8', true],
		['{"a":1}', 'application/json', false],
		['', 'application/json', false],
		['{"a":', 'application/x-www-form-urlencoded', false],
	])('%s as %s malformed: %s', (body, type, expected) => {
		expect(isMalformedJson(type, new TextEncoder().encode(body))).toBe(expected);
	});

	it.each([
		['http://x/_actions/opinions.post', true],
		['http://x/p/a/v/1?_action=opinions.post', true],
		['http://x/p/a/v/1', false],
	])('%s is an action request: %s', (url, expected) => {
		expect(isActionRequest(new URL(url))).toBe(expected);
	});

	it('fills an empty refusal message and leaves the rest alone', async () => {
		const json = (body: object, status: number) =>
			new Response(JSON.stringify(body), {
				status,
				headers: { 'content-type': 'application/json' },
			});
		const filled = await withActionMessage(json({ code: 'X', message: '' }, 415), 'why');
		expect(await filled.json()).toEqual({ code: 'X', message: 'why' });
		const kept = await withActionMessage(json({ message: 'own' }, 400), 'why');
		expect(await kept.json()).toEqual({ message: 'own' });
		const ok = await withActionMessage(json({ message: '' }, 200), 'why');
		expect(await ok.json()).toEqual({ message: '' });
	});
});
