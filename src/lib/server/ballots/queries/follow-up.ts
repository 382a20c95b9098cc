/** The committee's follow-up of a round: households to visit, paper entry, conflicts. */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../../db/client.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { isCommittee } from '../policy.ts';
import type { RoundInfo } from '../types.ts';

const num = (value: unknown) => Number(value);

/** A household still to visit (入户): where it is, never who lives there. */
export type VisitRow = {
	householdId: number;
	buildingId: number;
	unitId: number;
	compoundName: string;
	compoundNameEn: string;
	buildingNumber: string;
	unitNumber: string;
	room: string;
	floor: number;
	/** A paper form of the household awaits its second entry or review (双人录入). */
	paperPending: boolean;
};

/**
 * Households in scope without a ballot, by compound, building, unit and room: the door-visit
 * list. Committee staff only. Errors: forbidden, not_found.
 */
export async function listNotResponded(
	db: Executor,
	actor: Actor | null,
	round: RoundInfo,
): Promise<VisitRow[]> {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	if (!isCommittee(actor, round)) throw new DomainError('not_found', 'error.notFound');
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select h.id, rh.building_id, rh.unit_id, c.name as cn, c.name_en as ce, b.number as bn, u.number as un,
		           h.room, h.floor, exists (select 1 from paper_entries pe where pe.round_id = rh.round_id
		                   and pe.household_id = rh.household_id and pe.pair_of is null
		                   and pe.state in ('awaiting', 'mismatch')) as pending
		    from round_households rh
		    join households h on h.id = rh.household_id
		    join units u on u.id = rh.unit_id
		    join buildings b on b.id = rh.building_id
		    join compounds c on c.id = rh.compound_id
		    where rh.round_id = ${round.id}
		      and not exists (select 1 from ballots x where x.round_id = rh.round_id and x.household_id = rh.household_id)
		    order by c.name, length(b.number), b.number, length(u.number), u.number, h.floor, h.room
		    limit 5000`,
	);
	return rows.map((r) => ({
		householdId: num(r.id),
		buildingId: num(r.building_id),
		unitId: num(r.unit_id),
		compoundName: String(r.cn),
		compoundNameEn: String(r.ce),
		buildingNumber: String(r.bn),
		unitNumber: String(r.un),
		room: String(r.room),
		floor: num(r.floor),
		paperPending: Boolean(r.pending),
	}));
}

/** Households of a round for the paper-entry picker (committee only): address and whether voted. */
export async function listScopeHouseholds(db: Executor, actor: Actor | null, round: RoundInfo) {
	if (!isCommittee(actor, round)) throw new DomainError('not_found', 'error.notFound');
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select h.id, c.name as cn, c.name_en as ce, b.number as bn, u.number as un, h.room,
		           exists (select 1 from ballots x where x.round_id = rh.round_id and x.household_id = rh.household_id) as voted,
		           (select pe.state from paper_entries pe where pe.round_id = rh.round_id
		            and pe.household_id = rh.household_id and pe.pair_of is null
		            and pe.state in ('awaiting', 'mismatch')) as entry
		    from round_households rh
		    join households h on h.id = rh.household_id
		    join units u on u.id = rh.unit_id
		    join buildings b on b.id = rh.building_id
		    join compounds c on c.id = rh.compound_id
		    where rh.round_id = ${round.id}
		    order by c.name, length(b.number), b.number, length(u.number), u.number, h.floor, h.room
		    limit 3000`,
	);
	return rows.map((r) => ({
		householdId: num(r.id),
		compoundName: String(r.cn),
		compoundNameEn: String(r.ce),
		buildingNumber: String(r.bn),
		unitNumber: String(r.un),
		room: String(r.room),
		voted: Boolean(r.voted),
		/** A double-entered paper form awaiting its second entry, or under review. */
		entry: (r.entry as 'awaiting' | 'mismatch' | null) ?? null,
	}));
}

/** Flagged ballots (paper met online) for staff review, with the photo of the paper form. */
export async function listConflicts(db: Executor, actor: Actor | null, round: RoundInfo) {
	if (!isCommittee(actor, round)) throw new DomainError('not_found', 'error.notFound');
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select x.household_id, x.revision, x.channel, x.filled_at, b.number as bn, u.number as un, h.room,
		           (select r.photo_image_id from ballot_revisions r where r.ballot_id = x.id and r.photo_image_id is not null
		            order by r.revision desc limit 1) as photo
		    from ballots x
		    join households h on h.id = x.household_id
		    join units u on u.id = h.unit_id
		    join buildings b on b.id = h.building_id
		    where x.round_id = ${round.id} and x.conflict
		    order by x.updated_at`,
	);
	return rows.map((r) => ({
		householdId: num(r.household_id),
		revision: num(r.revision),
		channel: r.channel as 'online' | 'paper',
		filledAt: new Date(r.filled_at as string),
		buildingNumber: String(r.bn),
		unitNumber: String(r.un),
		room: String(r.room),
		photoImageId: (r.photo as string | null) ?? null,
	}));
}
