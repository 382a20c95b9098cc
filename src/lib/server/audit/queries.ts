import { and, count, desc, eq, gte, isNotNull, like, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { auditLog } from '../../../../db/schema/audit.ts';
import { communities } from '../../../../db/schema/org.ts';
import { users } from '../../../../db/schema/people.ts';
import { scopeFilter } from '../policy/index.ts';
import type { AuditFilter, AuditListItem, AuditPage } from './types.ts';
import { formatAuditAnchor, getAuditPending } from './verify.ts';

export const AUDIT_PAGE_SIZE = 50;

/** Clamps a page number from a query string (or a number) to 1…pages. */
function clampPage(raw: AuditFilter['page'], pages: number): number {
	const n = typeof raw === 'number' ? Math.trunc(raw) : Number.parseInt(raw ?? '1', 10);
	if (!Number.isFinite(n) || n < 1) return 1;
	return Math.min(n, Math.max(pages, 1));
}

function actionCondition(action: string): SQL {
	if (!action.endsWith('.*')) return eq(auditLog.action, action);
	const prefix = action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
	return like(auditLog.action, `${prefix}%`);
}

/** The WHERE clause for a filter, or a clause matching nothing for an empty scope. */
function whereOf(filter: AuditFilter): SQL | undefined {
	const conditions: (SQL | undefined)[] = [
		filter.action ? actionCondition(filter.action) : undefined,
		filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
		filter.targetType ? eq(auditLog.targetType, filter.targetType) : undefined,
		filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
		filter.from ? gte(auditLog.at, filter.from) : undefined,
		filter.to ? lt(auditLog.at, filter.to) : undefined,
	];
	return and(...conditions, scopeFilter(filter.scope, { communityId: auditLog.communityId }));
}

/**
 * One page (50 entries, newest first) of the audit log for the staff browse page, filtered by
 * action (exact or 'prefix.*'), actor, target and time, and always limited to the viewer's
 * communities (`filter.scope`, from `staffScope(actor, 'audit.read')`). Actor and
 * community names are joined in; phone numbers never are. Out-of-range pages clamp. Entries
 * not sealed yet are listed too, with a null hash.
 */
export async function listAudit(db: Executor, filter: AuditFilter): Promise<AuditPage> {
	const where = whereOf(filter);
	const [totalRow] = await db.select({ n: count() }).from(auditLog).where(where);
	const total = totalRow?.n ?? 0;
	const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
	const page = clampPage(filter.page, pages);
	const rows = await db
		.select({
			entry: auditLog,
			actorName: sql<string | null>`coalesce(${users.username}, nullif(${users.displayName}, ''))`,
			communityName: communities.name,
			communityNameEn: communities.nameEn,
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.leftJoin(communities, eq(communities.id, auditLog.communityId))
		.where(where)
		.orderBy(desc(auditLog.id))
		.limit(AUDIT_PAGE_SIZE)
		.offset((page - 1) * AUDIT_PAGE_SIZE);
	const items: AuditListItem[] = rows.map(
		({ entry, actorName, communityName, communityNameEn }) => ({
			id: entry.id,
			at: entry.at.toISOString(),
			actor: { id: entry.actorId, kind: entry.actorKind, name: actorName },
			action: entry.action,
			target: entry.targetType ? { type: entry.targetType, id: entry.targetId } : null,
			community:
				entry.communityId === null
					? null
					: { id: entry.communityId, name: communityName, nameEn: communityNameEn },
			details: entry.details,
			hash: entry.hash,
		}),
	);
	return { items, total, page, pages, pageSize: AUDIT_PAGE_SIZE };
}

/** The audit chain's head as published: the newest sealed entry (see getAuditHead). */
export type AuditHead = { seq: number; hash: string; at: Date; anchor: string };

/**
 * The newest sealed entry of the audit log — the chain head to publish outside the database
 * (the public audit page, every printed notice and result: issue 20, item 8). `anchor` is
 * exactly what `npm run audit:verify -- --anchor <hash@seq>` accepts. Any head read here stays
 * a valid anchor later (entries are only appended), so a cached page printing an older head
 * is still checkable. Null while nothing is sealed. One indexed row (unique `seq`).
 */
export async function getAuditHead(db: Executor): Promise<AuditHead | null> {
	const [row] = await db
		.select({ seq: auditLog.seq, hash: auditLog.hash, at: auditLog.at })
		.from(auditLog)
		.where(isNotNull(auditLog.seq))
		.orderBy(desc(auditLog.seq))
		.limit(1);
	if (!row || row.seq === null || row.hash === null) return null;
	const head = { seq: row.seq, hash: row.hash };
	return { ...head, at: row.at, anchor: formatAuditAnchor(head) };
}

/**
 * The public audit summary (/audit): the head to note down, how many entries the chain holds
 * (seq counts from 1 without gaps, so the head's seq) and how many wait for the sealer.
 */
export async function getAuditSummary(db: Executor) {
	const [head, pending] = await Promise.all([getAuditHead(db), getAuditPending(db)]);
	return { head, entries: head?.seq ?? 0, ...pending };
}
