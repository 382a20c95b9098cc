import { sql } from 'drizzle-orm';
import { verifyAuditChain } from '../src/lib/server/audit/verify.ts';
import { queryRows } from './client.ts';
import { runScript } from './script.ts';

/**
 * `npm run audit:verify`: walks the audit log's hash chain (PRODUCT.md "Trust"). Prints
 * `audit: N entries, chain intact` and the head to note down elsewhere (exit 0), or
 * `audit: chain broken at entry #ID (reason)` (exit 1).
 */
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
	const result = await verifyAuditChain(handle.db);
	if (!result.ok) {
		log(`chain broken at entry #${result.firstBroken.id} (${result.firstBroken.reason})`);
		process.exitCode = 1;
		return;
	}
	log(`${result.entries} entries, chain intact`);
	if (result.head) log(`head: entry #${result.head.id}, hash ${result.head.hash}`);
});
