import zlib from 'node:zlib';
import { z } from 'zod';
import { DomainError, INT4_MAX } from '../shared/index.ts';
import { rosterLimits } from './limits.ts';
import { occupancies } from './template.ts';
import { cleanCell, type RosterRow } from './validate.ts';

/**
 * The dry run → apply handshake without a table: the checked rows travel back with the apply
 * form as a compact payload (deflated JSON, base64url), owner identifiers already reduced to
 * their keyed hashes so no certificate number is ever in a page. The payload is untrusted on
 * the way back: it is size-capped, inflated with a cap, and every row re-validated; the apply
 * then recomputes the plan and must reproduce the dry run's plan hash.
 */
const MAX_PAYLOAD_CHARS = 12 * 1024 * 1024;
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

type Tuple = [
	number,
	string,
	string,
	string,
	string,
	string,
	string,
	number,
	string,
	string,
	string,
];

export function encodePayload(rows: RosterRow[]): string {
	const tuples: Tuple[] = rows.map((r) => [
		r.row,
		r.subdistrict,
		r.community,
		r.compound,
		r.building,
		r.unit,
		r.room,
		r.floor,
		r.area,
		r.occupancy,
		r.ownerKey ?? '',
	]);
	return zlib.deflateRawSync(JSON.stringify(tuples)).toString('base64url');
}

const safeText = (max: number, min = 0) =>
	z
		.string()
		.min(min)
		.max(max)
		.refine((value) => cleanCell(value).error === null && value === value.trim());
const identifier = z.string().regex(/^(?=.*[\p{L}\p{N}])[\p{L}\p{N}-]{1,20}$/u);

const tuple = z.tuple([
	z.number().int().positive().max(INT4_MAX),
	safeText(50),
	safeText(50, 1),
	safeText(50, 1),
	identifier,
	identifier,
	identifier,
	z.number().int().min(-5).max(100),
	z
		.string()
		.regex(/^\d{1,4}\.\d{2}$/)
		.refine((area) => Number(area) > 0 && Number(area) <= 1000),
	z.enum(occupancies),
	z.string().regex(/^([0-9a-f]{64})?$/),
]);

const invalid = () => new DomainError('invalid', 'roster.payloadInvalid');

/** The rows of a payload. Throws DomainError('invalid', 'roster.payloadInvalid') for anything off. */
export function decodePayload(payload: string): RosterRow[] {
	if (payload.length === 0 || payload.length > MAX_PAYLOAD_CHARS || !/^[\w-]+$/.test(payload)) {
		throw invalid();
	}
	let tuples: unknown;
	try {
		const json = zlib.inflateRawSync(Buffer.from(payload, 'base64url'), {
			maxOutputLength: MAX_INFLATED_BYTES,
		});
		tuples = JSON.parse(json.toString('utf-8'));
	} catch {
		throw invalid();
	}
	const parsed = z.array(tuple).max(rosterLimits.rows).safeParse(tuples);
	if (!parsed.success) throw invalid();
	return parsed.data.map((t) => ({
		row: t[0],
		subdistrict: t[1],
		community: t[2],
		compound: t[3],
		building: t[4],
		unit: t[5],
		room: t[6],
		floor: t[7],
		area: t[8],
		occupancy: t[9],
		ownerKey: t[10] === '' ? null : t[10],
	}));
}
