/**
 * Reproducibility (PRODUCT.md "Trust": published numbers are reproducible from the stored
 * ballots): recount a round from its frozen scope and counted ballots, and compare with the
 * running aggregates, with the rules module's own `decide` over the raw ballots, and with the
 * published result. Used by `npm run tally -- <round>` and before every publication.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Executor } from '../../../../db/client.ts';
import { decide, decideTally, type CastBallot, type ScopeUnit } from './rules.ts';
import { comparableResults, buildResultsView, type CoverageInput } from './results.ts';
import {
	covers,
	decisionRule,
	diffTallies,
	levelsOf,
	recountTallies,
	scopeIdOf,
	tallyKey,
	toRulesTally,
	type Choices,
	type ScopeHousehold,
	type TallyRow,
} from './tally.ts';
import { getPublishedResults, readTallies } from './queries/results.ts';
import type { ResultsView, RoundInfo } from './types.ts';

/** JSON with object keys sorted at every depth: the same text before and after jsonb storage. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/** SHA-256 of the canonical JSON of a published view. */
export const resultsDigest = (view: ResultsView) =>
	createHash('sha256').update(canonicalJson(view)).digest('hex');

export type Recount = {
	households: ScopeHousehold[];
	ballots: Map<number, Choices>;
	expected: Map<string, TallyRow>;
	coverage: CoverageInput[];
};

/** Reads the frozen scope and the counted ballots and recounts every tally row and coverage. */
export async function recount(db: Executor, round: RoundInfo): Promise<Recount> {
	const households = (
		await queryRows<Record<string, unknown>>(
			db,
			sql`select household_id, compound_id, building_id, unit_id, area_centi::float8 as area, owner_key
			    from round_households where round_id = ${round.id}`,
		)
	).map((r) => ({
		householdId: Number(r.household_id),
		compoundId: Number(r.compound_id),
		buildingId: Number(r.building_id),
		unitId: Number(r.unit_id),
		areaCenti: Number(r.area),
		ownerKey: String(r.owner_key),
	}));
	const ballots = new Map<number, Choices>();
	for (const r of await queryRows<Record<string, unknown>>(
		db,
		sql`select household_id, choices from ballots where round_id = ${round.id}`,
	)) {
		const choices = typeof r.choices === 'string' ? JSON.parse(r.choices) : r.choices;
		ballots.set(Number(r.household_id), choices as Choices);
	}
	const coverage = new Map<string, CoverageInput>();
	for (const h of households) {
		for (const level of ['compound', 'building'] as const) {
			const scopeId = scopeIdOf(h, level);
			const key = `${level}:${scopeId}`;
			const row = coverage.get(key) ?? { level, scopeId, households: 0, responded: 0 };
			row.households += 1;
			if (ballots.has(h.householdId)) row.responded += 1;
			coverage.set(key, row);
		}
	}
	return {
		households,
		ballots,
		expected: recountTallies(round.items, households, ballots),
		coverage: [...coverage.values()],
	};
}

const keyed = (rows: TallyRow[]) =>
	new Map(rows.map((r) => [tallyKey(r.itemId, r.level, r.scopeId), r]));

/**
 * Every scope's verdict and checks decided twice: by `decide` over the raw ballots (the rules
 * module's reference) and by `decideTally` over the stored row. Differences as text.
 */
function compareVerdicts(round: RoundInfo, r: Recount, stored: Map<string, TallyRow>): string[] {
	const problems: string[] = [];
	const json = (value: unknown) =>
		JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
	for (const item of round.items) {
		const rule = decisionRule(item.rule);
		const scopes = new Map<string, { units: ScopeUnit[]; ballots: CastBallot[] }>();
		for (const h of r.households) {
			if (!covers(item, h)) continue;
			for (const level of levelsOf(item)) {
				const key = tallyKey(item.id, level, scopeIdOf(h, level));
				const scope = scopes.get(key) ?? { units: [], ballots: [] };
				scope.units.push({
					householdId: h.householdId,
					areaCenti: BigInt(h.areaCenti),
					ownerKey: h.ownerKey,
				});
				const choice = r.ballots.get(h.householdId)?.[String(item.id)];
				if (choice) scope.ballots.push({ householdId: h.householdId, choice });
				scopes.set(key, scope);
			}
		}
		for (const [key, scope] of scopes) {
			const row = stored.get(key);
			if (!row) continue; // reported by the tally diff
			const reference = decide(rule, scope.units, scope.ballots);
			const fromRow = decideTally(rule, toRulesTally(row));
			if (json(reference) !== json(fromRow))
				problems.push(`${key}: verdict differs from a recount`);
		}
	}
	return problems;
}

export type Verification = {
	ballots: number;
	households: number;
	rows: number;
	problems: string[];
	published: { version: number; digest: string; matches: boolean } | null;
};

/**
 * Recounts the round and compares: stored aggregates and coverage against the recount, every
 * verdict against `decide` on the raw ballots, and the latest published result (its numbers and
 * its digest) against results rebuilt from the recount. Empty `problems` means reproducible.
 */
export async function verifyRound(db: Executor, round: RoundInfo): Promise<Verification> {
	const r = await recount(db, round);
	const storedRows = await readTallies(db, round.id);
	const stored = keyed(storedRows);
	const problems = diffTallies(stored, r.expected);
	const storedCoverage = await queryRows<Record<string, unknown>>(
		db,
		sql`select level, scope_id, households, responded from round_coverage where round_id = ${round.id}`,
	);
	const coverageKey = (l: unknown, s: unknown, h: unknown, n: unknown) => `${l}:${s}:${h}:${n}`;
	const expectedCoverage = new Set(
		r.coverage.map((c) => coverageKey(c.level, c.scopeId, c.households, c.responded)),
	);
	for (const c of storedCoverage) {
		const key = coverageKey(c.level, Number(c.scope_id), Number(c.households), Number(c.responded));
		if (!expectedCoverage.delete(key))
			problems.push(`coverage ${c.level}:${c.scope_id} differs from a recount`);
	}
	for (const key of expectedCoverage) problems.push(`coverage ${key} missing`);
	problems.push(...compareVerdicts(round, r, stored));
	const latest = await getPublishedResults(db, round.id);
	let published: Verification['published'] = null;
	if (latest) {
		const rebuilt = buildResultsView(
			round,
			[...r.expected.values()],
			r.coverage,
			new Map(),
			new Date(),
		);
		const sameNumbers =
			canonicalJson(comparableResults(rebuilt)) === canonicalJson(comparableResults(latest.view));
		const sameDigest = resultsDigest(latest.view) === latest.digest;
		if (!sameNumbers) problems.push(`published version ${latest.version} differs from a recount`);
		if (!sameDigest) problems.push(`published version ${latest.version} does not match its digest`);
		published = {
			version: latest.version,
			digest: latest.digest,
			matches: sameNumbers && sameDigest,
		};
	}
	return {
		ballots: r.ballots.size,
		households: r.households.length,
		rows: storedRows.length,
		problems,
		published,
	};
}

/**
 * `verifyRound` in one REPEATABLE READ, read-only transaction: ballots, aggregates and results
 * are read from one snapshot, so ballots committing meanwhile cannot look like a mismatch.
 */
export function verifyRoundSnapshot(db: Db, round: RoundInfo): Promise<Verification> {
	return db.transaction((tx) => verifyRound(tx, round), {
		isolationLevel: 'repeatable read',
		accessMode: 'read only',
	});
}
