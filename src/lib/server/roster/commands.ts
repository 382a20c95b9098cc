import { sql } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../../../../db/client.ts';
import { appendAudit } from '../audit/index.ts';
import { can } from '../policy/index.ts';
import type { Actor, StaffActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { rosterLimits } from './limits.ts';
import { fileHash, parseRosterFile } from './parse.ts';
import { encodePayload } from './payload.ts';
import { planRoster, resolveCommunities, type ExistingState, type RosterPlan } from './plan.ts';
import { loadCommunities, loadState } from './state.ts';
import { isEmptyPlan, planHash, summarise, type RosterSummary } from './summary.ts';
import { normaliseRows, type RosterRow, type RowError } from './validate.ts';
import { writePlan } from './write.ts';

/** Serialises roster imports (start-up 7_340_211, audit 7_340_212). */
export const ROSTER_LOCK_KEY = 7_340_220;

function requireStaff(actor: Actor | null): StaffActor {
	if (actor?.kind !== 'staff' || !(actor.roles.has('admin') || actor.roles.has('moderator'))) {
		throw new DomainError('forbidden', 'error.forbidden');
	}
	return actor;
}

export type CheckResult = {
	/** No row errors: this file can be applied. */
	clean: boolean;
	format: 'csv' | 'xlsx';
	encoding: string | null;
	/** Data rows read (progress: "processed N rows"). */
	rows: number;
	/** Rows with a contact note, which is read but not stored. */
	notes: number;
	ignoredColumns: string[];
	errorCount: number;
	/** The first errors by row (at most rosterLimits.reportedErrors). */
	errors: RowError[];
	summary: RosterSummary;
	fileHash: string;
	planHash: string;
	/** For the apply form; empty unless clean. */
	payload: string;
	ms: number;
};

type Planned = { plan: RosterPlan; errors: RowError[] };

async function planFor(
	db: Executor,
	staff: StaffActor,
	rows: RosterRow[],
	load: (communityIds: number[]) => Promise<ExistingState>,
): Promise<Planned> {
	const communities = await loadCommunities(db);
	const { resolved, errors } = resolveCommunities(rows, communities, (communityId) =>
		can(staff, 'roster.import', { communityId }),
	);
	const communityIds = [...new Set(resolved.map((r) => r.communityId))];
	const plan = planRoster(resolved, await load(communityIds));
	return { plan, errors: [...errors, ...plan.errors] };
}

const byRow = (a: RowError, b: RowError) => a.row - b.row;

/**
 * The dry run: parses and checks an uploaded roster against the current tree without writing
 * anything, and reports every bad row (row, column, reason) and what applying would create,
 * change, leave alone, remove and keep. Committee staff and admins; rows naming a community
 * outside the uploader's scope are errors. Throws DomainError('invalid', 'roster.file.*') for a
 * file that cannot be read at all (size, rows, format, header).
 */
export async function checkRoster(
	db: Db,
	actor: Actor | null,
	input: { bytes: Uint8Array; ownerKeySecret: string },
): Promise<CheckResult> {
	const started = performance.now();
	const staff = requireStaff(actor);
	const source = parseRosterFile(input.bytes);
	const normalised = normaliseRows(source.rows, input.ownerKeySecret);
	if (normalised.dataRows === 0) throw new DomainError('invalid', 'roster.file.noRows');
	const { plan, errors } = await planFor(db, staff, normalised.rows, (ids) => loadState(db, ids));
	const allErrors = [...normalised.errors, ...errors].sort(byRow);
	const clean = allErrors.length === 0;
	return {
		clean,
		format: source.format,
		encoding: source.encoding,
		rows: normalised.dataRows,
		notes: normalised.notes,
		ignoredColumns: normalised.header.ignored,
		errorCount: allErrors.length,
		errors: allErrors.slice(0, rosterLimits.reportedErrors),
		summary: summarise(plan),
		fileHash: fileHash(input.bytes),
		planHash: planHash(plan),
		payload: clean ? encodePayload(normalised.rows) : '',
		ms: Math.round(performance.now() - started),
	};
}

export type ApplyResult = RosterSummary & { applied: boolean; rows: number; ms: number };

/**
 * Applies a clean dry run, all or nothing, in one transaction: recomputes the plan from the
 * same rows under a lock, refuses unless it is still clean (invalid 'roster.notClean') and
 * still exactly what the dry run showed (conflict 'roster.changedSinceCheck'), then writes it in
 * bulk with one audit entry per community. Applying the same roster again changes nothing and
 * writes nothing (`applied: false`).
 */
export async function applyRoster(
	db: Db,
	actor: Actor | null,
	input: { rows: RosterRow[]; planHash: string; fileHash: string },
): Promise<ApplyResult> {
	const started = performance.now();
	const staff = requireStaff(actor);
	if (input.rows.length === 0) throw new DomainError('invalid', 'roster.notClean');
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(ROSTER_LOCK_KEY))})`);
		const { plan, errors } = await planFor(tx, staff, input.rows, (ids) => loadState(tx, ids));
		if (errors.length > 0) throw new DomainError('invalid', 'roster.notClean');
		if (planHash(plan) !== input.planHash)
			throw new DomainError('conflict', 'roster.changedSinceCheck');
		const summary = summarise(plan);
		const result = (applied: boolean) => ({
			...summary,
			applied,
			rows: input.rows.length,
			ms: Math.round(performance.now() - started),
		});
		if (isEmptyPlan(plan)) return result(false);
		await writePlan(tx, plan);
		await auditPlan(tx, staff, plan, input);
		return result(true);
	});
}

/** One entry per community (moderators see their own), counts only: no owner keys, no notes. */
async function auditPlan(
	tx: Tx,
	staff: StaffActor,
	plan: RosterPlan,
	input: { rows: RosterRow[]; planHash: string; fileHash: string },
): Promise<void> {
	const count = (items: { communityId: number }[], communityId: number) =>
		items.filter((item) => item.communityId === communityId).length;
	for (const communityId of plan.communityIds) {
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'roster.imported',
			targetType: 'community',
			targetId: communityId,
			communityId,
			details: {
				created: count(plan.created, communityId),
				changed: count(plan.updated, communityId),
				removed: count(plan.removed, communityId),
				kept: count(plan.kept, communityId),
				rows: input.rows.length,
				newCompounds: plan.newCompounds
					.filter((c) => c.communityId === communityId)
					.map((c) => c.name),
				fileHash: input.fileHash,
				planHash: input.planHash,
			},
		});
	}
}
