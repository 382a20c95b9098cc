import type { StaffScope } from '../policy/index.ts';
import type { AuditDetails, AuditJson } from '../../../../db/schema/audit.ts';

export type { AuditDetails, AuditJson };

export type AuditActorKind = 'resident' | 'staff' | 'system';

/**
 * What a command records. `actorId` is the user's id, null exactly when `actorKind` is
 * 'system'. `action` is dotted lower snake case ('staff.sign_in', 'ballot.cast').
 * `details` holds JSON values only and never personal data or secrets (no phone numbers,
 * household codes, passwords, tokens: PIPL's minimum-collection rule, and the log is forever).
 */
export type AuditEntryInput = {
	actorId: string | null;
	actorKind: AuditActorKind;
	action: string;
	targetType?: string | null | undefined;
	targetId?: string | number | null | undefined;
	communityId?: number | null | undefined;
	details?: { [key: string]: AuditJson | undefined } | undefined;
	/** Defaults to now; JavaScript dates already have millisecond precision, like the column. */
	at?: Date | undefined;
};

/** Exactly the fields the hash covers, in their stored form. */
export type AuditContent = {
	/** ISO 8601 with milliseconds, UTC (`Date#toISOString`). */
	at: string;
	actorId: string | null;
	actorKind: AuditActorKind;
	action: string;
	targetType: string | null;
	targetId: string | null;
	communityId: number | null;
	details: AuditDetails;
};

/**
 * An entry as appended: written, not yet sealed. Its place in the chain (`seq`) and its hash
 * are given after commit by `sealAudit`.
 */
export type AppendedAudit = { id: number; at: Date };

export type AuditBreak = {
	/** The entry where the chain breaks; for `anchor_missing`, the last entry there is. */
	id: number;
	reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'anchor_mismatch' | 'anchor_missing';
};

/** A chain head noted down outside the database (`hash@seq`), e.g. printed on a notice. */
export type AuditAnchor = { seq: number; hash: string };

/** Entries committed but not sealed yet: not a failure, unless `oldestPendingAt` is long ago. */
export type AuditPending = { pending: number; oldestPendingAt: Date | null };

/**
 * `entries` counts the intact sealed entries read: all of them when ok, otherwise those before
 * the first broken one. `head` is the last sealed entry, to note down elsewhere: the chain alone
 * cannot reveal that its newest entries were cut off, a remembered head can. `pending` counts
 * the entries not sealed yet (see AuditPending).
 */
export type AuditVerification = AuditPending &
	(
		| {
				ok: true;
				entries: number;
				head: { id: number; seq: number; hash: string; at: Date } | null;
		  }
		| { ok: false; entries: number; firstBroken: AuditBreak }
	);

export type AuditFilter = {
	/** Exact action, or a prefix ending in '.*' ('ballot.*'). */
	action?: string | undefined;
	actorId?: string | undefined;
	targetType?: string | undefined;
	targetId?: string | undefined;
	/**
	 * The viewer's scope (`staffScope(actor, 'audit.read')`), required so no caller forgets it;
	 * a scope short of all communities hides entries without a community.
	 */
	scope: StaffScope;
	/** Inclusive. */
	from?: Date | undefined;
	/** Exclusive. */
	to?: Date | undefined;
	page?: string | number | null | undefined;
};

export type AuditListItem = {
	id: number;
	at: string;
	actor: { id: string | null; kind: AuditActorKind; name: string | null };
	action: string;
	target: { type: string; id: string | null } | null;
	community: { id: number; name: string | null; nameEn: string | null } | null;
	details: AuditDetails;
	/** Null until the entry is sealed (usually within a second of its commit). */
	hash: string | null;
};

export type AuditPage = {
	items: AuditListItem[];
	total: number;
	page: number;
	pages: number;
	pageSize: number;
};
