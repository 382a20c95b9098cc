/**
 * Packed tally sums (migration 0027, `round_tally_sums`): the counted choices of every item of a
 * round over one scope as one exact integer, so that a ballot adds one number per level instead
 * of updating a row per item. Eight counts per item, 15 decimal digits each; count `k` of the
 * item in slot `s` is digits 15·(8·s + k) … 15·(8·s + k) + 14 from the right. Items decided per
 * unit take the low slots, so a unit's row (those items only) is the low part of a household's
 * packed counts. No count reaches 10^15 (a scope's households, or its area in 0.01 m² with at
 * most 1,000 m² a household), so the fields never carry into each other, and every count read
 * back is an exact JavaScript integer.
 *
 * The database adds and subtracts these integers; this module writes a ballot's (`packBallot`,
 * the same as the SQL `gj_tally_pack_choices`) and reads a row's counts back (`unpackAll`,
 * `countsAt`).
 */
import type { Choice } from './rules.ts';
import type { Choices, ScopeHousehold, TallyCounts } from './tally.ts';

export const FIELD_DIGITS = 15;
/** The counts of one item in a slot, in this order. */
export const PACKED_COUNTS = [
	'agree',
	'disagree',
	'abstain',
	'agreeArea',
	'disagreeArea',
	'abstainArea',
	'headsParticipating',
	'headsApproving',
] as const satisfies readonly (keyof TallyCounts)[];

const CHOICE_FIELD: Record<Choice, number> = { agree: 0, disagree: 1, abstain: 2 };
const ZEROS = '0'.repeat(FIELD_DIGITS);

/** An item as the packer needs it: its slot is given when the round opens. */
export type PackItem = { id: number; buildingId: number | null; tallySlot: number | null };

/**
 * What a one-flat household's counted choices add to its compound's and building's sums (and,
 * their low part, its unit's), as the decimal text of an integer: per item it answers, its choice
 * once, its area under that choice, a participating head, and an approving one when it agrees.
 * Throws when an item lacks its slot (the round is not open).
 */
export function packBallot(
	items: readonly PackItem[],
	household: Pick<ScopeHousehold, 'buildingId' | 'areaCenti'>,
	choices: Choices,
): string {
	const fields: number[] = [];
	for (const item of items) {
		const choice = choices[String(item.id)];
		// Only the items the household answers (covers, tally.ts).
		if (
			choice === undefined ||
			(item.buildingId !== null && item.buildingId !== household.buildingId)
		)
			continue;
		if (item.tallySlot === null) throw new Error(`tally: item ${item.id} has no slot`);
		const base = 8 * item.tallySlot;
		const at = CHOICE_FIELD[choice];
		if (at === undefined) throw new Error(`tally: unknown choice ${String(choice)}`);
		fields[base + at] = 1;
		fields[base + 3 + at] = household.areaCenti;
		fields[base + 6] = 1;
		fields[base + 7] = choice === 'agree' ? 1 : 0;
	}
	let text = '';
	for (let field = fields.length - 1; field >= 0; field--) {
		const value = fields[field] ?? 0;
		text += value === 0 ? ZEROS : String(value).padStart(FIELD_DIGITS, '0');
	}
	const first = text.search(/[1-9]/);
	return first < 0 ? '0' : text.slice(first);
}

/** The eight counts of the item in `slot`, from a sum's counts as `unpackAll` gives them. */
export function countsAt(all: readonly number[], slot: number): TallyCounts {
	const counts = {} as TallyCounts;
	for (const [k, name] of PACKED_COUNTS.entries()) counts[name] = all[8 * slot + k] ?? 0;
	return counts;
}

/**
 * Every count of a packed sum's decimal text, field by field from the right (count `k` of slot
 * `s` at 8·s + k). Throws on anything but the digits of a non-negative integer.
 */
export function unpackAll(packed: string): number[] {
	const fields: number[] = [];
	for (let end = packed.length; end > 0; end -= FIELD_DIGITS) {
		let value = 0;
		for (let at = Math.max(0, end - FIELD_DIGITS); at < end; at++) {
			const code = packed.charCodeAt(at);
			if (code < 48 || code > 57) throw new Error(`tally: a digit expected at ${at}`);
			value = value * 10 + (code - 48);
		}
		fields.push(value);
	}
	return fields;
}
