import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/build-if-needed.ts';
import {
	actionContexts,
	defaultContext,
	type ActionContext,
	type ActionField,
	type ActionInfo,
	type ActorName,
} from './actions.ts';
import { MISSING_ID, type Fixtures } from './fixtures.ts';
import {
	deepJson,
	forgedOrigins,
	invalidUtf8,
	sqlPayloads,
	staticTraversalPaths,
	traversalPaths,
	xssPayloads,
} from './payloads.ts';

/**
 * The hostile-input corpus as data: every case is one HTTP request and what it must get.
 * Cases are generated from tables (actions and their fields, payloads, routes), so a new
 * action, field or staff page is attacked without anyone writing a case for it.
 */
export type Category =
	| 'csrf-origin'
	| 'content-type'
	| 'invalid-utf8'
	| 'oversized'
	| 'nested-json'
	| 'prototype-pollution'
	| 'xss'
	| 'sql-injection'
	| 'path-traversal'
	| 'cross-community'
	| 'session-cookie'
	| 'image-bomb-polyglot'
	| 'http-method'
	| 'out-of-range';

/**
 * refused: 4xx with a message. sign-in: sent to a sign-in page (303). harmless: anything but
 * 5xx (the request may succeed, e.g. signing out a visitor), still changing nothing.
 */
export type Expectation = 'refused' | 'sign-in' | 'harmless';

export type Body = string | Uint8Array | FormData | (() => ReadableStream<Uint8Array>);

export type Case = {
	category: Category;
	name: string;
	method: string;
	path: string;
	actor: ActorName | 'admin' | { cookie: string };
	/** 'same' (default): this site's origin; null: no Origin header. */
	origin?: 'same' | string | null;
	contentType?: string | null;
	headers?: Record<string, string>;
	body?: Body | undefined;
	/** Sent byte for byte (no URL normalisation): traversal cases. */
	rawPath?: boolean;
	expect: Expectation;
	/** The exact status wanted, where the rule is precise (e.g. 403 for a forged origin). */
	status?: number;
	/** A payload that must not come back unescaped in HTML. */
	reflect?: string;
	/** Answered by Node's HTTP parser before the app (431): no message required. */
	transport?: boolean;
};

/** Files the corpus uploads, built once by the test (tests/factories/images.ts). */
export type Assets = {
	jpeg: Uint8Array;
	hostileImages: Record<string, Uint8Array>;
	hostileDocuments: Record<string, Uint8Array>;
	hostileRosters: Record<string, Uint8Array>;
};

const rpc = (name: string) => `/_actions/${name}`;
let pageParams: Record<string, string> = {};
const pageForm = (page: string, name: string) => {
	const filled = page.replace(/\{(\w+)\}/g, (_, key: string) => pageParams[key] ?? '1');
	return `${filled}${filled.includes('?') ? '&' : '?'}_action=${encodeURIComponent(name)}`;
};

export function contextOf(name: string): ActionContext {
	return actionContexts[name] ?? defaultContext;
}

const textDefaults: Record<string, string> = {
	phone: '13700009999',
	password: 'long enough password',
	code: '000000',
	next: '/',
	title: '标题',
	titleEn: 'Title',
	body: '一条普通的意见',
	bodyEn: 'An ordinary text',
	opensAt: '2026-12-01T09:00',
	closesAt: '2026-12-20T18:00',
	filledAt: '2026-12-02T10:00',
	costYuan: '100.00',
	governmentYuan: '80.00',
	residentYuan: '20.00',
	username: 'someone_new',
	displayName: '某人',
	planHash: '0'.repeat(64),
	fileHash: '0'.repeat(64),
	payload: 'x',
	area: '50.5',
	about: '',
	caption: '效果图',
	text: '说明',
};

/** A plain value for a field: 梅岭社区's record for ids, a sensible text otherwise. */
function defaultValue(
	field: ActionField,
	context: ActionContext,
	fx: Fixtures,
): string | string[] | null {
	if (context.values && field.name in context.values) return context.values[field.name]!;
	if (field.name === 'userId') return fx.ids.userId!;
	const residentMissing =
		context.actor === 'resident' && ['planVersionId', 'opinionId', 'parentId'].includes(field.name);
	switch (field.kind) {
		case 'number':
			return residentMissing ? MISSING_ID : (fx.ids[field.name] ?? '1');
		case 'enum':
			return field.values?.[0] ?? 'x';
		case 'array':
			return field.name === 'roles' ? ['moderator'] : [fx.ids[field.name] ?? '1'];
		case 'bool':
			return 'true';
		case 'object':
			return null;
		case 'file':
			return null;
		default:
			return textDefaults[field.name] ?? 'x';
	}
}

export type FormValue = string | string[] | { file: Uint8Array; name: string; type: string };

/** The action's otherwise-valid fields, with `overrides` applied (null removes a field). */
export function formFields(
	action: ActionInfo,
	fx: Fixtures,
	assets: Assets,
	overrides: Record<string, FormValue | null> = {},
): Record<string, FormValue> {
	const context = contextOf(action.name);
	const fields: Record<string, FormValue> = {};
	for (const field of action.fields) {
		if (field.kind === 'file')
			fields[field.name] = { file: assets.jpeg, name: 'photo.jpg', type: 'image/jpeg' };
		else if (field.kind === 'object' && field.name === 'choices')
			fields[`choices.${fx.ids.itemId}`] = 'agree';
		else {
			const value = defaultValue(field, context, fx);
			if (value !== null) fields[field.name] = value;
		}
	}
	for (const [name, value] of Object.entries(overrides)) {
		if (value === null) delete fields[name];
		else fields[name] = value;
	}
	return fields;
}

const hasFile = (fields: Record<string, FormValue>) =>
	Object.values(fields).some((v) => typeof v === 'object' && !Array.isArray(v));

/** Urlencoded unless a file is present (then multipart, as the browser would send it). */
export function encodeForm(fields: Record<string, FormValue>): {
	body: Body;
	contentType: string | null;
} {
	if (hasFile(fields)) {
		const form = new FormData();
		for (const [name, value] of Object.entries(fields)) {
			if (Array.isArray(value)) for (const v of value) form.append(name, v);
			else if (typeof value === 'string') form.append(name, value);
			else
				form.append(
					name,
					new File([value.file as Uint8Array<ArrayBuffer>], value.name, { type: value.type }),
				);
		}
		return { body: form, contentType: null };
	}
	const params = new URLSearchParams();
	for (const [name, value] of Object.entries(fields)) {
		for (const v of Array.isArray(value) ? value : [value as string]) params.append(name, v);
	}
	return { body: params.toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** A multipart body written by hand, so text fields can carry bytes that are not UTF-8. */
function rawMultipart(fields: Record<string, Uint8Array>): {
	body: Uint8Array;
	contentType: string;
} {
	const boundary = '----gjSecurityBoundary7MA4YWxkTrZu0gW';
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		parts.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
			Buffer.from(value),
			Buffer.from('\r\n'),
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return {
		body: new Uint8Array(Buffer.concat(parts)),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}

const expectationOf = (context: ActionContext): Expectation =>
	context.mayAccept ? 'harmless' : 'refused';

const textFields = (action: ActionInfo) => action.fields.filter((f) => f.kind === 'text');

type Generator = (actions: ActionInfo[], fx: Fixtures, assets: Assets, base: string) => Case[];

const csrf: Generator = (actions, fx, assets, base) =>
	actions.flatMap((action) => {
		const { body, contentType } = encodeForm(formFields(action, fx, assets));
		const page = contextOf(action.name).page;
		const targets = [rpc(action.name), ...(page ? [pageForm(page, action.name)] : [])];
		return targets.flatMap((target) =>
			forgedOrigins(base).map((origin): Case => ({
				category: 'csrf-origin',
				name: `${action.name} via ${target.startsWith('/_actions') ? 'API' : 'form'}, Origin ${origin ?? '(none)'}`,
				method: 'POST',
				path: target,
				actor: 'admin',
				origin,
				contentType,
				body,
				expect: 'refused',
				status: 403,
			})),
		);
	});

const contentTypes: Generator = (actions, fx, assets) =>
	actions.flatMap((action) => {
		const context = contextOf(action.name);
		const fields = formFields(action, fx, assets);
		const json = JSON.stringify(
			Object.fromEntries(Object.entries(fields).filter(([, v]) => typeof v === 'string')),
		);
		const variants: [string, string | null, Body | undefined][] = [
			['malformed JSON', 'application/json', '{"a":'],
			['JSON object', 'application/json', json],
			['text/plain', 'text/plain', 'a=1&b=2'],
			[
				'XML',
				'application/xml',
				'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
			],
			['multipart without a valid body', 'multipart/form-data; boundary=xyz', 'garbage'],
			['no content type', null, 'a=1'],
		];
		return variants.map(([label, contentType, body]): Case => ({
			category: 'content-type',
			name: `${action.name}: ${label}`,
			method: 'POST',
			path: rpc(action.name),
			actor: context.actor,
			contentType,
			body,
			expect: label === 'no content type' ? expectationOf(context) : 'refused',
		}));
	});

const utf8: Generator = (actions, fx, assets) =>
	actions
		.filter((action) => textFields(action).length > 0)
		.flatMap((action) => {
			const context = contextOf(action.name);
			const fields = formFields(action, fx, assets);
			const percent = [...invalidUtf8].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
			const params = new URLSearchParams();
			for (const [name, value] of Object.entries(fields))
				if (typeof value === 'string') params.append(name, value);
			let urlencoded = params.toString();
			for (const field of textFields(action))
				urlencoded = `${urlencoded.replace(new RegExp(`(^|&)${field.name}=[^&]*`), '')}&${field.name}=${percent}`;
			const raw: Record<string, Uint8Array> = {};
			for (const [name, value] of Object.entries(fields))
				if (typeof value === 'string') raw[name] = Buffer.from(value);
			for (const field of textFields(action)) raw[field.name] = invalidUtf8;
			const multipart = rawMultipart(raw);
			return [
				{
					category: 'invalid-utf8',
					name: `${action.name}: percent-encoded invalid UTF-8 in every text field`,
					method: 'POST',
					path: rpc(action.name),
					actor: context.actor,
					contentType: 'application/x-www-form-urlencoded',
					body: urlencoded,
					expect: expectationOf(context),
				},
				{
					category: 'invalid-utf8',
					name: `${action.name}: raw invalid UTF-8 bytes in every multipart text field`,
					method: 'POST',
					path: rpc(action.name),
					actor: context.actor,
					contentType: multipart.contentType,
					body: multipart.body,
					expect: expectationOf(context),
				},
			] satisfies Case[];
		});

const BIG = 46 * 1024 * 1024;

const oversized: Generator = (actions, fx, assets) => {
	const cases: Case[] = actions
		.filter((action) => textFields(action).length > 0)
		.map((action) => {
			const context = contextOf(action.name);
			const huge = Object.fromEntries(textFields(action).map((f) => [f.name, 'x'.repeat(300_000)]));
			const { body, contentType } = encodeForm(formFields(action, fx, assets, huge));
			return {
				category: 'oversized',
				name: `${action.name}: 300,000 characters in every text field`,
				method: 'POST',
				path: rpc(action.name),
				actor: context.actor,
				contentType,
				body,
				expect: expectationOf(context),
			};
		});
	const post = (name: string, overrides: Partial<Case>): Case => ({
		category: 'oversized',
		name,
		method: 'POST',
		path: rpc('opinions.post'),
		actor: 'resident',
		contentType: 'application/x-www-form-urlencoded',
		expect: 'refused',
		...overrides,
	});
	const bigForm = () => `body=${'x'.repeat(BIG)}`;
	cases.push(
		// A body over the limit is refused (413) by its Content-Length before it is read, or, when
		// chunked, as soon as it passes the limit: either way while the client is still sending,
		// so the client may see the connection reset before it reads the answer. A dropped
		// connection counts as refused here (memory: tests/http/fail-closed.test.ts).
		post('46 MB urlencoded body to the action API (Content-Length)', {
			body: bigForm(),
			transport: true,
		}),
		post('46 MB body to the action API, chunked (no Content-Length)', {
			body: () => chunkedStream(BIG),
			transport: true,
		}),
		post('46 MB body to a page form', {
			path: pageForm('/p/dujuan/v/2', 'opinions.post'),
			body: bigForm(),
		}),
		post('46 MB body to a page without _action (read nothing, refuse)', {
			path: '/p/dujuan/v/2',
			body: bigForm(),
		}),
		post('46 MB JSON to the action API, chunked', {
			contentType: 'application/json',
			body: () => chunkedStream(BIG),
			transport: true,
		}),
		post('100,000 repeated fields', { body: Array(100_000).fill('body=x').join('&') }),
		post('100,000 distinct field names', {
			body: Array.from({ length: 100_000 }, (_, i) => `f${i}=x`).join('&'),
		}),
		post('64 KB header (Node answers 431 before the app)', {
			headers: { 'x-padding': 'a'.repeat(64 * 1024) },
			body: 'body=x',
			transport: true,
		}),
		post('2 MB file named like an image in a text-only action', {
			path: rpc('opinions.post'),
			contentType: null,
			body: (() => {
				const form = new FormData();
				form.append('planVersionId', MISSING_ID);
				form.append('alignment', 'support');
				form.append('body', new File([new Uint8Array(2 * 1024 * 1024)], 'x.jpg'));
				return form;
			})(),
		}),
	);
	return cases;
};

/** A body streamed in 1 MB chunks, so the server cannot know its size in advance. */
function chunkedStream(total: number): ReadableStream<Uint8Array> {
	let sent = 0;
	const chunk = new Uint8Array(1024 * 1024).fill(0x78);
	return new ReadableStream({
		pull(controller) {
			if (sent === 0) controller.enqueue(new TextEncoder().encode('body='));
			if (sent >= total) return controller.close();
			controller.enqueue(chunk);
			sent += chunk.length;
		},
	});
}

const nested: Generator = (actions) => {
	const targets = [
		'opinions.post',
		'ballots.cast',
		'households.issueCodes',
		'staff.create',
		'roster.apply',
	].filter((name) => actions.some((a) => a.name === name));
	return targets.flatMap((name) =>
		(
			[
				['100,000-deep JSON arrays', deepJson(100_000, 'array')],
				['1,000,000-deep JSON arrays', deepJson(1_000_000, 'array')],
				['100,000-deep JSON objects', deepJson(100_000, 'object')],
				[
					'deeply dotted form keys',
					`${'a.'.repeat(20_000)}b=1&choices.${'1.'.repeat(20_000)}2=agree`,
				],
			] as const
		).map(([label, body]): Case => ({
			category: 'nested-json',
			name: `${name}: ${label}`,
			method: 'POST',
			path: rpc(name),
			actor: contextOf(name).actor,
			contentType: label.includes('form')
				? 'application/x-www-form-urlencoded'
				: 'application/json',
			body,
			expect: 'refused',
		})),
	);
};

const pollution: Generator = (actions, fx, assets) => {
	const keys = [
		'__proto__',
		'__proto__.isAdmin',
		'constructor.prototype.isAdmin',
		'choices.__proto__',
		'toString',
	];
	return actions
		.filter((a) =>
			['opinions.post', 'ballots.cast', 'staff.create', 'households.issueCodes'].includes(a.name),
		)
		.flatMap((action) =>
			keys.map((key): Case => {
				const params = new URLSearchParams();
				for (const [name, value] of Object.entries(formFields(action, fx, assets)))
					for (const v of Array.isArray(value) ? value : [value as string]) params.append(name, v);
				params.append(key, 'true');
				return {
					category: 'prototype-pollution',
					name: `${action.name}: field "${key}"`,
					method: 'POST',
					path: rpc(action.name),
					actor: contextOf(action.name).actor,
					contentType: 'application/x-www-form-urlencoded',
					body: params.toString(),
					expect: expectationOf(contextOf(action.name)),
				};
			}),
		);
};

const xss: Generator = (actions, fx, assets) =>
	actions.flatMap((action) => {
		const context = contextOf(action.name);
		return textFields(action).flatMap((field) =>
			xssPayloads.map((payload): Case => {
				const { body, contentType } = encodeForm(
					formFields(action, fx, assets, { [field.name]: payload }),
				);
				return {
					category: 'xss',
					name: `${action.name}.${field.name} = ${payload}`,
					method: 'POST',
					path: context.page ? pageForm(context.page, action.name) : rpc(action.name),
					actor: context.actor,
					contentType,
					body,
					expect: expectationOf(context),
					reflect: payload,
				};
			}),
		);
	});

const sqli: Generator = (actions, fx, assets) =>
	actions.flatMap((action) => {
		const context = contextOf(action.name);
		return action.fields
			.filter((f) => f.kind === 'text' || f.kind === 'number' || f.kind === 'enum')
			.flatMap((field) =>
				sqlPayloads.map((payload): Case => {
					const { body, contentType } = encodeForm(
						formFields(action, fx, assets, { [field.name]: payload }),
					);
					return {
						category: 'sql-injection',
						name: `${action.name}.${field.name} = ${payload}`,
						method: 'POST',
						path: rpc(action.name),
						actor: context.actor,
						contentType,
						body,
						expect: expectationOf(context),
					};
				}),
			);
	});

/** File-serving routes: images always; attachments once their route exists. */
export const fileRoutes = ['/images/', '/files/'];

const traversal: Generator = () => [
	...fileRoutes.flatMap((prefix) =>
		traversalPaths.map((tail): Case => ({
			category: 'path-traversal',
			name: `GET ${prefix}${tail}`,
			method: 'GET',
			path: `${prefix}${tail}`,
			rawPath: true,
			actor: 'anonymous',
			expect: 'refused',
		})),
	),
	...staticTraversalPaths.map((p): Case => ({
		category: 'path-traversal',
		name: `GET ${p}`,
		method: 'GET',
		path: p,
		rawPath: true,
		actor: 'anonymous',
		expect: 'refused',
	})),
];

/** Route parameters of staff pages, by the folder they follow, filled with 梅岭社区's records. */
const paramRules: [RegExp, keyof Fixtures['params']][] = [
	[/households\/building\/\[id\]/, 'buildingId'],
	[/roster\/household\/\[id\]/, 'householdId'],
	[/rounds\/\[id\]/, 'roundId'],
	[/admin\/staff\/\[id\]/, 'staffUserId'],
	[/projects\/\[slug\]/, 'projectSlug'],
	[/v\/\[number\]/, 'versionNumber'],
];

/** Staff routes that read a record from the query string, with 梅岭社区's record there. */
const staffQueryRoutes = (fx: Fixtures): string[] => [
	`/staff/rounds/new?project=${fx.ids.projectId}`,
	`/staff/rounds/${fx.params.roundId}/paper?household=${fx.params.householdId}`,
	`/staff/roster/export?compound=${fx.params.compoundId}&format=csv`,
	`/staff/roster/export?community=${fx.ids.communityId}&format=csv`,
];

/** Every page under src/pages/staff with a parameter, as a URL naming 梅岭社区's record. */
export function staffRecordRoutes(fx: Fixtures): string[] {
	const root = path.join(projectRoot, 'src', 'pages');
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const full = path.join(dir, name);
			if (statSync(full).isDirectory()) walk(full);
			else if (/\.(astro|ts)$/.test(name) && !name.startsWith('_')) files.push(full);
		}
	};
	walk(path.join(root, 'staff'));
	const routes: string[] = [];
	for (const file of files.sort()) {
		let route = `/${path
			.relative(root, file)
			.replace(/\\/g, '/')
			.replace(/\.(astro|ts)$/, '')}`;
		route = route.replace(/\/index$/, '');
		if (!route.includes('[')) continue;
		for (const [pattern, key] of paramRules) {
			const match = pattern.exec(route);
			if (match) route = route.replace(match[0], match[0].replace(/\[\w+\]/, fx.params[key]!));
		}
		route = route.replace(/\[\w+\]/g, '1');
		routes.push(route);
	}
	return routes;
}

const crossCommunity: Generator = (actions, fx, assets) => [
	...[...staffRecordRoutes(fx), ...staffQueryRoutes(fx)].map((route): Case => ({
		category: 'cross-community',
		name: `江滨 moderator GET ${route}`,
		method: 'GET',
		path: route,
		actor: 'jiangbin',
		expect: 'refused',
	})),
	...actions
		.filter((action) => contextOf(action.name).actor === 'jiangbin')
		.flatMap((action) => {
			const { body, contentType } = encodeForm(formFields(action, fx, assets));
			const page = contextOf(action.name).page;
			return [rpc(action.name), ...(page ? [pageForm(page, action.name)] : [])].map(
				(target): Case => ({
					category: 'cross-community',
					name: `江滨 moderator ${action.name} on 梅岭 records via ${target.startsWith('/_actions') ? 'API' : 'form'}`,
					method: 'POST',
					path: target,
					actor: 'jiangbin',
					contentType,
					body,
					expect: 'refused',
				}),
			);
		}),
];

const sessions: Generator = (actions, fx, assets) => {
	const byName = new Map(actions.map((a) => [a.name, a]));
	const posts: [string, Record<string, FormValue | null>][] = [
		['account.deleteAccount', { confirm: 'yes' }],
		['opinions.post', { planVersionId: fx.ids.planVersionId!, body: '伪造会话发的意见' }],
		['staff.create', { username: 'forged_admin', password: 'forged admin password' }],
	];
	const cases: Case[] = [];
	for (const [label, token] of Object.entries(fx.deadTokens)) {
		const actor = { cookie: `gj_session=${token}` };
		for (const [name, overrides] of posts) {
			const action = byName.get(name);
			if (!action) continue;
			const { body, contentType } = encodeForm(formFields(action, fx, assets, overrides));
			cases.push({
				category: 'session-cookie',
				name: `${label} → ${name}`,
				method: 'POST',
				path: rpc(name),
				actor,
				contentType,
				body,
				expect: 'refused',
			});
		}
		for (const page of ['/account', '/staff', '/account/export.json'])
			cases.push({
				category: 'session-cookie',
				name: `${label} → GET ${page}`,
				method: 'GET',
				path: page,
				actor,
				expect: 'sign-in',
			});
	}
	return cases;
};

const images: Generator = (actions, fx, assets) => {
	const byName = new Map(actions.map((a) => [a.name, a]));
	const cases: Case[] = [];
	const upload = (
		name: string,
		actor: ActorName,
		label: string,
		overrides: Record<string, FormValue | null>,
	) => {
		const action = byName.get(name);
		if (!action) return;
		const { body, contentType } = encodeForm(formFields(action, fx, assets, overrides));
		cases.push({
			category: 'image-bomb-polyglot',
			name: `${name}: ${label}`,
			method: 'POST',
			path: rpc(name),
			actor,
			contentType,
			body,
			expect: 'refused',
		});
	};
	const version = String(fx.officerDraftVersionId);
	const file = (bytes: Uint8Array, filename: string, type: string): FormValue => ({
		file: bytes,
		name: filename,
		type,
	});
	for (const [label, bytes] of Object.entries(assets.hostileImages)) {
		const hostile = file(bytes, 'rendering.jpg', 'image/jpeg');
		upload('plans.addRendering', 'officer', `${label} as both images`, {
			versionId: version,
			before: hostile,
			after: hostile,
		});
		upload('plans.addRendering', 'officer', `valid before, ${label} after (no orphan image)`, {
			versionId: version,
			after: hostile,
		});
	}
	for (const [label, bytes] of Object.entries(assets.hostileDocuments))
		upload('plans.addAttachment', 'officer', label, {
			versionId: version,
			title: '附件',
			file: file(bytes, 'plan.pdf', 'application/pdf'),
		});
	for (const [label, bytes] of Object.entries(assets.hostileRosters))
		upload('roster.check', 'jiangbin', label, {
			file: file(
				bytes,
				'roster.xlsx',
				'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			),
		});
	return cases;
};

const methods: Generator = (actions) =>
	actions
		.filter((a) =>
			[
				'opinions.post',
				'staff.create',
				'households.issueCodes',
				'plans.publish',
				'account.deleteAccount',
			].includes(a.name),
		)
		.flatMap((action) =>
			['GET', 'PUT', 'DELETE', 'PATCH'].map((method): Case => ({
				category: 'http-method',
				name: `${method} ${rpc(action.name)}`,
				method,
				path: rpc(action.name),
				actor: 'admin',
				contentType: method === 'GET' ? null : 'application/x-www-form-urlencoded',
				body: method === 'GET' ? undefined : 'a=1',
				expect: 'refused',
			})),
		);

/** Values every column refuses (issue 20): ids past int4, days that do not exist. */
const OUT_OF_RANGE_IDS = ['2147483648', '99999999999', '-1', '1e309', '٣'];
const IMPOSSIBLE_DAYS = ['2026-02-30', '2026-13-01', '2026-04-31T10:00', '2026-02-29T24:00'];
const dayField = /(On|At|Date|date)$/;

/** Page routes with an id, filled with an id past int4 (404, not a database error). */
const publicIdRoutes = (big: string) => [
	`/rounds/${big}`,
	`/rounds/${big}/notice`,
	`/surveys/${big}`,
	`/surveys/${big}/results`,
	`/p/dujuan/v/${big}`,
	`/p/dujuan/v/${big}/notice`,
];

/** Id routes answered 4xx, not necessarily 404 (results pages: 400 from the database's refusal). */
const otherIdRoutes = (big: string) => [
	`/rounds/${big}/results`,
	`/rounds/${big}/results.json`,
	`/rounds/${big}/results.csv`,
	`/p/dujuan/problems/${big}`,
];

const outOfRange: Generator = (actions, fx, assets) => {
	const cases: Case[] = [];
	for (const action of actions) {
		const context = contextOf(action.name);
		for (const field of action.fields) {
			const values =
				field.kind === 'number' || field.kind === 'array'
					? OUT_OF_RANGE_IDS
					: field.kind === 'text' && dayField.test(field.name)
						? IMPOSSIBLE_DAYS
						: [];
			for (const value of values) {
				const { body, contentType } = encodeForm(
					formFields(action, fx, assets, {
						[field.name]: field.kind === 'array' ? [value] : value,
					}),
				);
				cases.push({
					category: 'out-of-range',
					name: `${action.name}.${field.name} = ${value}`,
					method: 'POST',
					path: rpc(action.name),
					actor: context.actor,
					contentType,
					body,
					expect: expectationOf(context),
				});
			}
		}
	}
	const version = String(fx.officerDraftVersionId);
	const rendering = actions.find((a) => a.name === 'plans.addRendering');
	for (const buildingId of ['99999', '2147483647'])
		if (rendering) {
			const { body, contentType } = encodeForm(
				formFields(rendering, fx, assets, { versionId: version, buildingId }),
			);
			cases.push({
				category: 'out-of-range',
				name: `plans.addRendering by the project's officer naming building ${buildingId}`,
				method: 'POST',
				path: rpc('plans.addRendering'),
				actor: 'officer',
				contentType,
				body,
				expect: 'refused',
				status: 400,
			});
		}
	for (const big of ['2147483648', '99999999999']) {
		for (const route of publicIdRoutes(big))
			cases.push({
				category: 'out-of-range',
				name: `GET ${route}`,
				method: 'GET',
				path: route,
				actor: 'anonymous',
				expect: 'refused',
				status: 404,
			});
		for (const route of otherIdRoutes(big))
			cases.push({
				category: 'out-of-range',
				name: `GET ${route}`,
				method: 'GET',
				path: route,
				actor: 'anonymous',
				expect: 'harmless',
			});
		const staffRoutes = staffRecordRoutes({
			...fx,
			params: Object.fromEntries(
				Object.entries(fx.params).map(([k, v]) => [k, /^\d+$/.test(v) ? big : v]),
			),
		}).filter((route) => route.includes(big));
		for (const route of staffRoutes)
			cases.push({
				category: 'out-of-range',
				name: `admin GET ${route}`,
				method: 'GET',
				path: route,
				actor: 'admin',
				expect: 'harmless',
			});
	}
	// Non-ASCII return paths: a Location header cannot carry them raw (they were 500s).
	for (const next of [
		'%2F%E8%B4%A6%E6%88%B7',
		'%2Fp%2Fdujuan%3Fq%3D%E8%80%81%20%E5%B0%8F%E5%8C%BA',
	])
		for (const page of ['/login', '/login/verify', '/staff/login'])
			cases.push({
				category: 'out-of-range',
				name: `GET ${page}?next=${next}`,
				method: 'GET',
				path: `${page}?next=${next}`,
				actor: 'anonymous',
				expect: 'harmless',
			});
	cases.push({
		category: 'out-of-range',
		name: 'POST /prefs/text-size with a non-ASCII back=',
		method: 'POST',
		path: '/prefs/text-size',
		actor: 'anonymous',
		contentType: 'application/x-www-form-urlencoded',
		body: `size=large&back=${encodeURIComponent('/账户?q=老 小区')}`,
		expect: 'harmless',
	});
	return cases;
};

const generators: Generator[] = [
	csrf,
	contentTypes,
	utf8,
	oversized,
	nested,
	pollution,
	xss,
	sqli,
	traversal,
	crossCommunity,
	sessions,
	images,
	methods,
	outOfRange,
];

/** The whole corpus for the actions found in src/actions. */
export function buildCorpus(
	actions: ActionInfo[],
	fx: Fixtures,
	assets: Assets,
	base: string,
): Case[] {
	pageParams = fx.params;
	return generators.flatMap((generate) => generate(actions, fx, assets, base));
}
