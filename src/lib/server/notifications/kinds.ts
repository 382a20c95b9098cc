import type { MessageKey } from '../../../i18n/index.ts';

/*
 * Every kind of notification the code sends, with the params its text needs: the one list the
 * senders' types, the catalogs and the table test (tests/unit/notifications/kinds.test.ts) are
 * held to. A kind missing here cannot be sent (NotificationInput); a kind here without text in
 * the catalogs does not compile (`kindKey`); a text whose placeholders differ from the params
 * listed here fails the table test. `xEn` is the English variant of `x` (render.ts).
 */
export const NOTIFICATION_KINDS = {
	/** A pre-moderated opinion was approved and is now public (moderation/rules.ts). */
	'opinion.approved': ['project', 'projectEn'],
	/** An opinion hidden by the committee or held after reports is public again. */
	'opinion.restored': ['project', 'projectEn'],
	'opinion.hidden': ['project', 'projectEn', 'reason'],
	'opinion.rejected': ['project', 'projectEn', 'reason'],
	/** The committee's first answer (采纳 / 部分采纳 / 不予采纳 / 已知悉). */
	'opinion.answered': ['project', 'projectEn', 'disposition'],
	/** The committee revised its answer. */
	'opinion.answer_revised': ['project', 'projectEn', 'disposition'],
	/** Another resident's reply to the author's opinion became public. */
	'opinion.replied': ['project', 'projectEn'],
	'round.opened': ['project', 'projectEn', 'title', 'titleEn', 'deadline'],
	/** The first published results of a round the household took part in. */
	'round.results_published': ['project', 'projectEn', 'title', 'titleEn'],
	/** A correction (a later version) of those results. */
	'round.results_corrected': ['project', 'projectEn', 'title', 'titleEn', 'version'],
	'survey.opened': ['project', 'projectEn', 'title', 'titleEn', 'deadline'],
	/** A survey's results (kind name kept: stored notifications carry it). */
	'results.published': ['project', 'projectEn', 'title', 'titleEn'],
	'progress.milestone': ['project', 'projectEn', 'milestone', 'date'],
	'meeting.announced': ['project', 'projectEn', 'title', 'startsAt', 'place'],
	'problem.dispatched': ['project', 'projectEn', 'unit', 'due'],
	'problem.closed': ['project', 'projectEn'],
	/** Staff: a new opinion in a moderator's community (issue 21). */
	'opinion.new_in_scope': ['project', 'projectEn'],
	/** Staff, opted in: the day's count of opinions awaiting review and an answer (also by SMS). */
	'moderation.digest': ['pending', 'unanswered'],
	/** The responsible party answered a repair request after handover (报修): being handled. */
	'repair.answered': ['project', 'projectEn'],
	/** A repair request was closed with an answer. */
	'repair.closed': ['project', 'projectEn'],
} as const satisfies Record<string, readonly string[]>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

export const notificationKinds = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

export type ParamValue = string | number;

/** The params a kind's text needs, plus any others the sender keeps (ids for later use). */
export type KindParams<K extends NotificationKind> = Record<
	(typeof NOTIFICATION_KINDS)[K][number],
	ParamValue
> &
	Record<string, ParamValue>;

/** The catalog key of a kind's text; does not compile while the zh-CN catalog lacks it. */
export const kindKey = (kind: NotificationKind): MessageKey => `notifications.kind.${kind}`;
