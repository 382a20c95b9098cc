import { sql } from 'drizzle-orm';
import { SEAL_LIMIT, sealAudit } from '../src/lib/server/audit/commands.ts';
import {
	formatAuditAnchor,
	parseAuditAnchor,
	verifyAuditChain,
} from '../src/lib/server/audit/verify.ts';
import { queryRows } from './client.ts';
import { runScript } from './script.ts';

/**
 * `npm run audit:verify`: seals the committed entries still waiting for the sealer (as the
 * running servers do every 250 ms), then walks the audit log's hash chain (PRODUCT.md "Trust").
 * Prints `audit: sealed N entries`, then `audit: N entries, chain intact` and the head to note
 * down elsewhere (exit 0), or `audit: chain broken at entry #ID (reason)` (exit 1); and last
 * `audit: N pending` — entries committed after the sealing (or of transactions still open),
 * with the time of the oldest. Pending entries are no failure. On a read-only database (a
 * replica) sealing fails with one line and the sealed part is verified.
 *
 * `--anchor <hash>@<seq>`: a head noted down earlier (printed as `anchor: …` below); the chain
 * must still hold that entry with that hash, so no entry up to it was removed or added.
 */
const anchorAt = process.argv.indexOf('--anchor');
const anchorArg = anchorAt === -1 ? null : (process.argv[anchorAt + 1] ?? '');
const anchor = anchorArg === null ? undefined : parseAuditAnchor(anchorArg);
if (anchor === null) {
	process.stderr.write(
		'audit: --anchor needs <64 hex characters>@<seq>, as printed by audit:verify\n',
	);
	process.exit(1);
}

await runScript('audit', async ({ handle, log }) => {
	const [table] = await queryRows<{ name: string | null }>(
		handle.db,
		sql`select to_regclass('audit_log')::text as name`,
	);
	if (!table?.name) {
		log('no audit_log table here; run npm run db:migrate first');
		process.exitCode = 1;
		return;
	}
	let sealed = 0;
	try {
		let batch: number;
		do {
			batch = await sealAudit(handle.db);
			sealed += batch;
		} while (batch === SEAL_LIMIT);
		log(`sealed ${sealed} entries`);
	} catch (error) {
		log(
			`sealing failed after ${sealed} entries (${(error as Error).message}); verifying the sealed part`,
		);
	}
	const result = await verifyAuditChain(handle.db, anchor ? { anchor } : {});
	if (result.ok) {
		log(
			`${result.entries} entries, chain intact${anchor ? `, anchor seq ${anchor.seq} holds` : ''}`,
		);
		if (result.head) {
			log(`head: entry #${result.head.id} (seq ${result.head.seq}), hash ${result.head.hash}`);
			log(`anchor: ${formatAuditAnchor(result.head)} at ${result.head.at.toISOString()}`);
		}
	} else {
		log(`chain broken at entry #${result.firstBroken.id} (${result.firstBroken.reason})`);
		process.exitCode = 1;
	}
	const oldest = result.oldestPendingAt
		? `, oldest from ${result.oldestPendingAt.toISOString()}`
		: '';
	log(`${result.pending} pending${oldest}`);
});
