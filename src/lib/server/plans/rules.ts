/** Plan version rules: the comment window and what may still change. Pure, unit-tested. */
export type StoredStatus = 'draft' | 'open' | 'closed' | 'superseded' | 'final';
export type EffectiveStatus = 'draft' | 'upcoming' | 'open' | 'closed' | 'superseded' | 'final';

type Window = { status: StoredStatus; commentOpensAt: Date | null; commentClosesAt: Date | null };

/** What residents see: an 'open' version is 'upcoming' before its window and 'closed' after. */
export function effectiveStatus(version: Window, now: Date): EffectiveStatus {
	if (version.status !== 'open') return version.status;
	if (version.commentOpensAt && now < version.commentOpensAt) return 'upcoming';
	if (version.commentClosesAt && now >= version.commentClosesAt) return 'closed';
	return 'open';
}

/** The server accepts opinions only inside the window of an open version. */
export function acceptsOpinions(version: Window, now: Date): boolean {
	return effectiveStatus(version, now) === 'open';
}

const MONEY = /^\d{1,12}(\.\d{1,2})?$/;

/** Yuan as an exact decimal string → cents, or null if malformed. */
export function parseYuan(value: string): bigint | null {
	const trimmed = value.trim();
	if (!MONEY.test(trimmed)) return null;
	const [whole, fraction = ''] = trimmed.split('.');
	return BigInt(whole!) * 100n + BigInt((fraction + '00').slice(0, 2));
}

export function formatYuan(cents: bigint): string {
	return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** "谁受益、谁出资": the government and residents together never pay more than the item costs. */
export function checkItemMoney(cost: string, government: string, resident: string): boolean {
	const [c, g, r] = [parseYuan(cost), parseYuan(government), parseYuan(resident)];
	return c !== null && g !== null && r !== null && g + r <= c;
}
