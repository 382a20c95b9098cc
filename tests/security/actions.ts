import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/build-if-needed.ts';

/**
 * Every Astro Action is a public endpoint (`/_actions/<name>`, and a form POST to any page with
 * `?_action=<name>`). This module enumerates them from src/actions/*.ts and reads each one's
 * fields from its zod input schema, so a new action or field joins the hostile-input corpus by
 * itself. `actionContexts` below (the table we maintain) says who sends the hostile input and
 * where its form lives; an action without a row gets the defaults.
 */
export type FieldKind = 'text' | 'number' | 'enum' | 'file' | 'array' | 'object' | 'bool';
export type ActionField = { name: string; kind: FieldKind; values?: string[] };
export type ActionInfo = { name: string; fields: ActionField[]; schemaName: string | null };

/** Who sends the hostile input: the strongest actor who must still be refused. */
export type ActorName = 'anonymous' | 'resident' | 'jiangbin' | 'officer';

export type ActionContext = {
	actor: ActorName;
	/**
	 * The page whose form posts this action (its error is shown there); `{name}` is replaced by
	 * the fixture's record. None: only the action API.
	 */
	page?: string;
	/** A request that may succeed without changing anything (e.g. signing out a visitor). */
	mayAccept?: boolean;
	/** Field values that make the request otherwise valid (ids come from the fixtures). */
	values?: Record<string, string>;
};

/**
 * The table: per action, the actor that is refused and the page hosting its form. Staff actions
 * are sent by 江滨社区's moderator against 梅岭社区's records; resident actions by a resident of
 * no household (or against records that do not exist); sign-in actions by a visitor.
 */
export const actionContexts: Record<string, ActionContext> = {
	'auth.requestCode': { actor: 'anonymous', page: '/login' },
	// The verify page needs the number's cookie, the password form shows only in password mode,
	// the account page only to residents: those errors are sent to the action API.
	'auth.verifyCode': { actor: 'anonymous', values: { code: '000000' } },
	'auth.passwordSignIn': { actor: 'anonymous' },
	'auth.staffSignIn': { actor: 'anonymous', page: '/staff/login', values: { username: 'admin' } },
	'auth.signOut': { actor: 'anonymous', page: '/logout', mayAccept: true },
	'account.signOutEverywhere': { actor: 'anonymous' },
	'account.deleteAccount': { actor: 'anonymous', values: { confirm: 'yes' } },
	'households.join': { actor: 'resident', page: '/bind', values: { code: 'ABCD-EFGH-JKLM' } },
	'households.registerAndBind': {
		actor: 'anonymous',
		page: '/bind',
		values: { code: 'ABCD-EFGH-JKLM', phone: '13700009999', password: 'long enough password' },
	},
	'households.setConsent': { actor: 'resident', page: '/account' },
	'households.issueCodes': {
		actor: 'jiangbin',
		page: '/staff/households/slips',
		values: { relation: 'owner', maxMembers: '3', householdId: '', compoundId: '' },
	},
	'households.revokeCodes': { actor: 'jiangbin', page: '/staff/households/building/{buildingId}' },
	'opinions.post': { actor: 'resident', page: '/p/dujuan/v/2' },
	'opinions.reply': { actor: 'resident', page: '/p/dujuan/v/2' },
	'opinions.meToo': { actor: 'resident', page: '/p/dujuan/v/2' },
	'opinions.report': { actor: 'resident', page: '/p/dujuan/v/2' },
	'ballots.cast': { actor: 'resident' },
	'staff.create': { actor: 'jiangbin', page: '/staff/admin/staff' },
	'staff.updateAccess': { actor: 'jiangbin' },
	'staff.resetPassword': { actor: 'jiangbin', values: { password: 'a new long password' } },
	'staff.setDisabled': { actor: 'jiangbin' },
	'staff.signOutEverywhere': { actor: 'jiangbin' },
	'roster.check': { actor: 'jiangbin', page: '/staff/roster' },
	'roster.apply': { actor: 'jiangbin', page: '/staff/roster' },
	// A moderator may switch their own digest: the one refused is a resident.
	'moderation.setDigest': {
		actor: 'resident',
		page: '/staff/moderation/unanswered',
		values: { on: '1' },
	},
	// Issue 22: agreements, supervision group, policy explainers (梅岭's 红岩新村).
	'agreements.confirm': { actor: 'resident', page: '/p/hongyan/agreement' },
	'agreements.recordPaper': { actor: 'jiangbin', page: '/staff/agreements/hongyan' },
	'supervision.volunteer': {
		actor: 'resident',
		page: '/p/hongyan/supervision',
		values: { publicName: '王阿姨' },
	},
	'supervision.confirmMember': { actor: 'jiangbin', page: '/staff/supervision/hongyan' },
	'supervision.draw': {
		actor: 'jiangbin',
		page: '/staff/supervision/hongyan',
		values: { seats: '1' },
	},
	'supervision.postNote': { actor: 'resident', page: '/p/hongyan/progress' },
	'supervision.signAcceptance': { actor: 'resident', page: '/p/hongyan/progress' },
	'explainers.save': {
		actor: 'jiangbin',
		page: '/staff/policy/hongyan',
		values: { kind: 'faq', title: '问', body: '答' },
	},
};

export const defaultContext: ActionContext = { actor: 'jiangbin' };

const actionsDir = path.join(projectRoot, 'src', 'actions');

type ZodLike = { _zod: { def: Record<string, unknown> & { type: string } } };

/** Unwraps optional/default/preprocess/transform wrappers down to the schema that validates. */
function unwrap(schema: ZodLike): ZodLike {
	let current = schema;
	for (let i = 0; i < 10; i++) {
		const def = current._zod.def;
		if (def.innerType) current = def.innerType as ZodLike;
		else if (def.type === 'pipe') {
			const input = def.in as ZodLike;
			current = input._zod.def.type === 'transform' ? (def.out as ZodLike) : input;
		} else return current;
	}
	return current;
}

function fieldOf(name: string, schema: ZodLike): ActionField {
	const inner = unwrap(schema);
	const def = inner._zod.def;
	switch (def.type) {
		case 'string':
			return { name, kind: 'text' };
		case 'number':
		case 'int':
		case 'bigint':
			return { name, kind: 'number' };
		case 'enum':
			return { name, kind: 'enum', values: Object.values(def.entries as object).map(String) };
		case 'literal':
			return { name, kind: 'enum', values: (def.values as unknown[]).map(String) };
		case 'custom':
			return { name, kind: 'file' };
		case 'array':
			return { name, kind: 'array' };
		case 'boolean':
			return { name, kind: 'bool' };
		default:
			return { name, kind: 'object' };
	}
}

/** The fields of an object schema (through refinements, transforms and preprocessing). */
export function fieldsOfSchema(schema: unknown): ActionField[] {
	const object = unwrap(schema as ZodLike);
	if (object._zod.def.type !== 'object') return [];
	const shape = object._zod.def.shape as Record<string, ZodLike>;
	return Object.entries(shape).map(([name, field]) => fieldOf(name, field));
}

/** `{ a, b as c }` import lists → local name → module path (relative to src/actions). */
function importsOf(source: string): Map<string, string> {
	const map = new Map<string, string>();
	for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
		for (const part of m[1]!.split(',')) {
			const [, local] = /(?:\w+\s+as\s+)?(\w+)\s*$/.exec(part.trim()) ?? [];
			if (local) map.set(local, m[2]!);
		}
	}
	return map;
}

/**
 * Every action with its fields, read from src/actions/*.ts: `export const <group> = {` then
 * `<name>: defineAction({ … input: <schema> …`. Inline schemas yield the fields the context
 * table gives them.
 */
export async function listActions(): Promise<ActionInfo[]> {
	const found: ActionInfo[] = [];
	for (const file of readdirSync(actionsDir).sort()) {
		if (!file.endsWith('.ts') || file === 'index.ts' || file === 'run.ts') continue;
		const source = readFileSync(path.join(actionsDir, file), 'utf8');
		const imports = importsOf(source);
		for (const group of source.matchAll(/export const (\w+) = \{([\s\S]*?)\n\};/g)) {
			const body = group[2]!;
			const starts = [...body.matchAll(/^\t(\w+): defineAction\(\{/gm)];
			for (const [i, start] of starts.entries()) {
				const chunk = body.slice(start.index, starts[i + 1]?.index ?? body.length);
				const schemaName = /\binput: (\w+),/.exec(chunk)?.[1] ?? null;
				const from = schemaName ? imports.get(schemaName) : undefined;
				const fields =
					schemaName && from?.startsWith('.')
						? fieldsOfSchema(
								((await import(path.join(actionsDir, from))) as Record<string, unknown>)[
									schemaName
								],
							)
						: inlineFields(chunk);
				found.push({ name: `${group[1]}.${start[1]}`, fields, schemaName });
			}
		}
	}
	return found;
}

/** Fields of an inline `z.object({ a: …, b: … })` (names only; kinds guessed as text). */
function inlineFields(chunk: string): ActionField[] {
	const inline = /input: z\.object\(\{([^]*?)\}\)/.exec(chunk)?.[1];
	if (!inline) return [];
	return [...inline.matchAll(/(\w+): z\./g)].map((m) => ({ name: m[1]!, kind: 'text' as const }));
}
