import type { MessageKey, Params } from '../../../i18n/index.ts';
import type { OpinionModeration } from '../moderation/index.ts';

export const alignments = ['support', 'object', 'neutral'] as const;
export type Alignment = (typeof alignments)[number];

export const reportReasons = ['spam', 'abusive', 'personal_info', 'off_topic', 'other'] as const;
export type ReportReason = (typeof reportReasons)[number];

export type OpinionChannel = 'online' | 'meeting' | 'phone' | 'paper';

/** What an opinion is about: one rendering, one item, or the version itself. */
export type OpinionTarget = { renderingId: number } | { planItemId: number } | 'version';

export type OpinionOrder = 'newest' | 'supported';
export const opinionOrders: readonly OpinionOrder[] = ['newest', 'supported'];

/** Published top-level opinions by alignment (replies are discussion, not a position count). */
export type AlignmentCounts = Record<Alignment, number> & { total: number };

export type OpinionCounts = {
	/** Every target together. */
	all: AlignmentCounts;
	/** Opinions on the version as a whole. */
	version: AlignmentCounts;
	renderings: Record<number, AlignmentCounts>;
	items: Record<number, AlignmentCounts>;
};

/** An i18n key and its parameters: who wrote it, as the public may see it ("3号楼住户"). */
export type AuthorLabel = { key: MessageKey; params?: Params };

/** The target shown on an opinion when a list mixes targets. */
export type TargetLabel =
	| { kind: 'rendering'; id: number; caption: string; captionEn: string }
	| { kind: 'item'; id: number; name: string; nameEn: string }
	| null;

/** One opinion as a page shows it: no phone, no name, no user id. */
export type OpinionView = {
	id: number;
	parentId: number | null;
	alignment: Alignment;
	body: string;
	author: AuthorLabel;
	channel: OpinionChannel;
	target: TargetLabel;
	createdAt: Date;
	meTooCount: number;
	/** The viewer wrote it (no "me too" or report button on one's own opinion). */
	mine: boolean;
	/** When its author last changed the text (null: never). */
	editedAt: Date | null;
	/** Its author withdrew it: only they still see it. */
	withdrawn: boolean;
	/** Pre-moderated and not yet reviewed: only its author sees it. */
	awaitingReview: boolean;
	meTooByViewer: boolean;
	reportedByViewer: boolean;
	/** Moderation notice and official answer (issue 5). */
	moderation: OpinionModeration;
	replies: OpinionView[];
};

export type OpinionPage = {
	items: OpinionView[];
	page: number;
	pages: number;
	/** Top-level opinions the viewer can see (published, plus their own pending ones). */
	total: number;
	order: OpinionOrder;
	counts: AlignmentCounts;
};

/** What the composer needs to know about a version before showing a form. */
export type OpinionContext = {
	planVersionId: number;
	projectId: number;
	status: 'draft' | 'open' | 'closed' | 'superseded' | 'final';
	opensAt: Date | null;
	closesAt: Date | null;
	moderation: 'pre' | 'post';
	compoundIds: number[];
};
