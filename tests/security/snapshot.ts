import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';

/**
 * A fingerprint of the database: for every table of the public schema, its row count and an
 * MD5 over its rows (as text, sorted), so "no change" means no row added, removed or altered.
 *
 * Left out, because refusing hostile input legitimately writes them, and none is content:
 * - `rate_limits` (every refused sign-in or code request counts against its limit),
 * - `auth_failures` (a wrong code or password slows the next try down: the back-off's memory),
 * - `sessions` (a dead cookie is cleared; lucia may extend a live one),
 * - `sms_outbox` and `login_codes` (sign-in codes are what rate-limited requests produce),
 * - `jobs` (the queue's own bookkeeping),
 * - `audit_log` rows of failed sign-ins (`%.sign_in_failed`): recording a failed staff
 *   password is the refusal itself (PIPL art. 51 security measures, our audit policy).
 */
export const IGNORED_TABLES = new Set([
	'rate_limits',
	'auth_failures',
	'sessions',
	'sms_outbox',
	'login_codes',
	'jobs',
]);

/** Rows of these tables are fingerprinted only where the filter holds. */
export const TABLE_FILTERS: Record<string, string> = {
	audit_log: "action not like '%.sign_in_failed'",
};

/**
 * How a row of these tables is fingerprinted (default: the whole row). The audit log's chain
 * columns are left out: the servers' sealer fills them in after commit (src/lib/server/audit),
 * so they change without any request; the content is what must not.
 */
export const ROW_TEXT: Record<string, string> = {
	audit_log: "(to_jsonb(t) - array['seq', 'prev_hash', 'hash'])::text",
};

export type TableFingerprint = { rows: number; hash: string };
export type Snapshot = Record<string, TableFingerprint>;

/** Fingerprints every public table (bar the ignored ones). Works on PostgreSQL and PGlite. */
export async function snapshotDatabase(db: Executor): Promise<Snapshot> {
	const tables = await queryRows<{ name: string }>(
		db,
		sql`select table_name as name from information_schema.tables
		    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
	);
	const snapshot: Snapshot = {};
	for (const { name } of tables) {
		if (IGNORED_TABLES.has(name) || !/^[a-z_][a-z0-9_]*$/.test(name)) continue;
		const where = TABLE_FILTERS[name] ? `where ${TABLE_FILTERS[name]}` : '';
		const text = ROW_TEXT[name] ?? 't::text';
		const [row] = await queryRows<{ rows: number; hash: string }>(
			db,
			sql.raw(
				`select count(*)::int as rows,
				        md5(coalesce(string_agg(${text}, '|' order by ${text}), '')) as hash
				 from "${name}" t ${where}`,
			),
		);
		snapshot[name] = { rows: Number(row!.rows), hash: row!.hash };
	}
	return snapshot;
}

/** Tables whose fingerprint differs, with both sides; empty when nothing changed. */
export function diffSnapshots(
	before: Snapshot,
	after: Snapshot,
): { table: string; before: TableFingerprint | null; after: TableFingerprint | null }[] {
	const names = new Set([...Object.keys(before), ...Object.keys(after)]);
	return [...names]
		.filter((name) => before[name]?.hash !== after[name]?.hash)
		.map((table) => ({ table, before: before[table] ?? null, after: after[table] ?? null }));
}
