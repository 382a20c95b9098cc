import type { Alignment, OpinionChannel, ReportReason } from '../opinions/index.ts';

export const dispositions = ['adopted', 'partly_adopted', 'not_adopted', 'noted'] as const;
/** 采纳 / 部分采纳 / 不予采纳 / 已知悉. */
export type Disposition = (typeof dispositions)[number];

export const moderationCauses = ['premoderation', 'words', 'reports'] as const;
export type ModerationCause = (typeof moderationCauses)[number];

/** What a moderator decides about one opinion. */
export const moderationOps = ['approve', 'hide', 'restore', 'reject'] as const;
export type ModerationOp = (typeof moderationOps)[number];

export type OpinionState = 'pending' | 'published' | 'hidden' | 'rejected';

export const offlineChannels = ['meeting', 'phone', 'paper'] as const;
export type OfflineChannel = (typeof offlineChannels)[number];

/** The official answer as pages show it. `edited` once it has been revised. */
export type AnswerView = {
	disposition: Disposition;
	body: string;
	revision: number;
	edited: boolean;
	answeredAt: Date;
	updatedAt: Date;
};

/**
 * What moderation adds to an opinion on the plan page: a notice in place of (or, for its
 * author, next to) the text, and the official answer.
 * - hidden: hidden by the committee; the public sees "hidden by the committee: reason".
 * - held: hidden after reports, awaiting review; only its author still sees it.
 * - rejected: refused in review; only its author sees it, with the reason.
 */
export type OpinionModeration = {
	notice:
		| { kind: 'hidden'; reason: string }
		| { kind: 'held' }
		| { kind: 'rejected'; reason: string }
		| null;
	answer: AnswerView | null;
};

/** Queue filters, as parsed from the page's query string. */
export type QueueStatus = 'open' | OpinionState | 'all';
export const queueStatuses: readonly QueueStatus[] = [
	'open',
	'pending',
	'published',
	'hidden',
	'rejected',
	'all',
];
export type QueueReason = ModerationCause | ReportReason;
export const queueAges = [1, 3, 7, 30] as const;

export type QueueFilter = {
	status: QueueStatus;
	projectId?: number | undefined;
	reason?: QueueReason | undefined;
	/** Only opinions older than this many days. */
	olderThanDays?: number | undefined;
	page?: number | undefined;
};

/** One opinion in the moderator's queue: no phone, no name, no user id. */
export type QueueItem = {
	id: number;
	parentId: number | null;
	body: string;
	alignment: Alignment;
	channel: OpinionChannel;
	state: OpinionState;
	stateReason: string;
	authorBuilding: string;
	createdAt: Date;
	project: { id: number; slug: string; name: string; nameEn: string };
	version: { id: number; number: number };
	/** The plan item the opinion is about, if it is about one. */
	item: { name: string; nameEn: string } | null;
	flag: {
		cause: ModerationCause;
		matched: string[];
		flaggedAt: Date;
		open: boolean;
	} | null;
	reports: Partial<Record<ReportReason, number>>;
	reportCount: number;
	answered: boolean;
};

export type QueuePage = {
	items: QueueItem[];
	total: number;
	page: number;
	pages: number;
};
