/**
 * Elevator rounds by floor (issue 24 item 5): the floor coefficients (楼层系数) a round uses to
 * weigh cost shares, and the geometry of the building-front drawing on the results page. Pure.
 *
 * Coefficients are kept in thousandths (permille) as integers: 0.3 is 300, 1 is 1000. A floor
 * the round does not list weighs 1 (1000‰).
 */

/** The largest coefficient staff may enter: 10 (10 000‰). */
export const MAX_PERMILLE = 10_000;
export const DEFAULT_PERMILLE = 1000;

export type FloorCoefficient = { floor: number; permille: number };

export type ParseResult =
	{ ok: true; coefficients: FloorCoefficient[] } | { ok: false; line: number };

const LINE = /^(-?\d{1,3})\s*(?:楼|层|F|f)?\s*[:：=＝]\s*(\d{1,2})(?:\.(\d{1,3}))?$/;

/**
 * Parses one coefficient per line or comma, "楼层:系数", e.g. "1:0", "2楼：0.3", "3=0.45".
 * Decimals are read as text (at most three places), so no float ever rounds a share. Returns
 * the first bad line (1-based) for a malformed line, a duplicated floor, a floor outside
 * -5…100 or a coefficient above 10. Empty input means no coefficients.
 */
export function parseFloorCoefficients(input: string): ParseResult {
	const parts = input
		.split(/[\n,，;；]/)
		.map((part) => part.trim())
		.filter((part) => part.length > 0);
	const seen = new Set<number>();
	const coefficients: FloorCoefficient[] = [];
	for (const [index, part] of parts.entries()) {
		const match = LINE.exec(part);
		if (!match) return { ok: false, line: index + 1 };
		const floor = Number(match[1]);
		const permille = Number(match[2]) * 1000 + Number((match[3] ?? '').padEnd(3, '0'));
		if (floor < -5 || floor > 100 || permille > MAX_PERMILLE || seen.has(floor)) {
			return { ok: false, line: index + 1 };
		}
		seen.add(floor);
		coefficients.push({ floor, permille });
	}
	coefficients.sort((a, b) => a.floor - b.floor);
	return { ok: true, coefficients };
}

/** 300 → "0.3", 1000 → "1", 1250 → "1.25": exact, from the integer. */
export function formatPermille(permille: number): string {
	const whole = Math.trunc(permille / 1000);
	const rest = String(permille % 1000)
		.padStart(3, '0')
		.replace(/0+$/, '');
	return rest ? `${whole}.${rest}` : String(whole);
}

/** The textarea text for saved coefficients, one "floor:coefficient" per line. */
export function coefficientsText(coefficients: readonly FloorCoefficient[]): string {
	return coefficients.map((c) => `${c.floor}:${formatPermille(c.permille)}`).join('\n');
}

/** The coefficient of a floor: the round's, or 1 (1000‰) when the round does not list it. */
export function permilleFor(coefficients: readonly FloorCoefficient[], floor: number): number {
	return coefficients.find((c) => c.floor === floor)?.permille ?? DEFAULT_PERMILLE;
}

export type FloorResponse = 'agree' | 'disagree' | 'abstain' | 'none';

/** One floor of a unit: how many flats, and how many of them answered what (counts only). */
export type FloorCounts = {
	floor: number;
	agree: number;
	disagree: number;
	abstain: number;
	none: number;
};

export type FloorCell = {
	x: number;
	y: number;
	width: number;
	height: number;
	response: FloorResponse;
};

export type FloorRow = {
	floor: number;
	y: number;
	height: number;
	cells: FloorCell[];
};

export type FloorGeometry = {
	width: number;
	height: number;
	labelWidth: number;
	rows: FloorRow[];
};

const ORDER: readonly FloorResponse[] = ['agree', 'disagree', 'abstain', 'none'];

/**
 * Lays a unit's front out: one row per floor, the top floor at the top, one cell per flat of
 * that floor, cells ordered agree → against → abstain → no vote (a floor's counts, never which
 * flat answered what). The box is `width` wide (a viewBox, so it scales to the screen) and
 * every row is `rowHeight` tall, so a tall building grows downwards, never sideways; cells of a
 * floor share the width left of the floor label equally, with `gap` between them.
 */
export function floorGeometry(
	floors: readonly FloorCounts[],
	options: { width?: number; rowHeight?: number; labelWidth?: number; gap?: number } = {},
): FloorGeometry {
	const width = options.width ?? 320;
	const rowHeight = options.rowHeight ?? 36;
	const labelWidth = options.labelWidth ?? 44;
	const gap = options.gap ?? 4;
	const sorted = [...floors].sort((a, b) => b.floor - a.floor);
	const rows = sorted.map((counts, index): FloorRow => {
		const y = index * rowHeight;
		const responses = ORDER.flatMap((response) =>
			Array.from({ length: counts[response] }, () => response),
		);
		const n = responses.length;
		// A gap before every cell and after the last, so no border touches the box's edge.
		const cellWidth = n === 0 ? 0 : (width - labelWidth - gap * (n + 1)) / n;
		return {
			floor: counts.floor,
			y,
			height: rowHeight,
			cells: responses.map((response, i) => ({
				x: labelWidth + gap + i * (cellWidth + gap),
				y: y + gap / 2,
				width: cellWidth,
				height: rowHeight - gap,
				response,
			})),
		};
	});
	return { width, height: rows.length * rowHeight, labelWidth, rows };
}
