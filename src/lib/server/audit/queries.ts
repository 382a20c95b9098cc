import { and, count, desc, eq, gte, like, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { auditLog } from '../../../../db/schema/audit.ts';
import { communities } from '../../../../db/schema/org.ts';
import { users } from '../../../../db/schema/people.ts';
import { scopeFilter } from '../policy/index.ts';
import type { AuditFilter, AuditListItem, AuditPage } from './types.ts';

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
