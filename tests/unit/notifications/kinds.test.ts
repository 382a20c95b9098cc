/**
 * Every notification kind the code can send (kinds.ts: the senders are typed by it), rendered in
 * both languages with realistic params: the sentence a resident reads on /account/notifications
 * must be the kind's own, whole, with every variable filled.
 */
import { describe, expect, it } from 'vitest';
import { translate, type Locale } from '../../../src/i18n/index.ts';
import {
	kindKey,
	NOTIFICATION_KINDS,
	notificationKinds,
	type KindParams,
	type NotificationKind,
} from '../../../src/lib/server/notifications/kinds.ts';
import { renderNotification } from '../../../src/lib/server/notifications/render.ts';

const project = { project: '杜鹃新村', projectEn: 'Dujuan Xincun' };

/** Realistic params for each kind; a kind added to kinds.ts without a sample does not compile. */
const samples: { [K in NotificationKind]: KindParams<K> } = {
	'opinion.approved': { ...project, opinionId: 12 },
	'opinion.restored': { ...project, opinionId: 12 },
	'opinion.hidden': { ...project, reason: '含有个人电话号码', opinionId: 12 },
	'opinion.rejected': { ...project, reason: '广告内容', opinionId: 12 },
	'opinion.answered': { ...project, disposition: 'partly_adopted', opinionId: 12 },
	'opinion.answer_revised': { ...project, disposition: 'not_adopted', opinionId: 12 },
	'opinion.replied': { ...project, opinionId: 12, replyId: 15 },
	'round.opened': {
		...project,
		title: '改造方案意见征询',
		titleEn: 'Opinions on the renovation plan',
		deadline: '2026-05-01T10:00:00.000Z',
	},
	'round.results_published': {
		...project,
		title: '改造方案意见征询',
		titleEn: 'Opinions on the renovation plan',
		version: 1,
	},
	'round.results_corrected': {
		...project,
		title: '改造方案意见征询',
		titleEn: 'Opinions on the renovation plan',
		version: 2,
	},
	'survey.opened': {
		...project,
		title: '改造满意度调查',
		titleEn: 'Satisfaction survey',
		deadline: '2026-05-01T10:00:00.000Z',
	},
	'results.published': { ...project, title: '改造满意度调查', titleEn: 'Satisfaction survey' },
	'progress.milestone': { ...project, milestone: 'works_started', date: '2026-04-01' },
	'meeting.announced': {
		...project,
		title: '加装电梯议事会',
		startsAt: '2026-04-10T11:00:00.000Z',
		place: '社区活动室',
	},
	'problem.dispatched': { ...project, unit: 'property', due: '2026-04-02' },
	'problem.closed': { ...project },
	'opinion.new_in_scope': { ...project, opinionId: 12 },
	'moderation.digest': { pending: 2, unanswered: 5 },
	'repair.answered': { ...project, requestId: 7 },
	'repair.closed': { ...project, requestId: 7 },
};

/** What the param shows as in this language (the English variant, or a translated key). */
const shown: Record<Locale, Record<string, string>> = {
	'zh-CN': {
		project: '杜鹃新村',
		title: '',
		disposition: '',
		deadline: '2026年5月1日 18:00',
		milestone: '开工',
		unit: '物业服务企业',
		due: '2026年4月2日',
		date: '2026年4月1日',
		startsAt: '2026年4月10日 19:00',
	},
	en: {
		project: 'Dujuan Xincun',
		disposition: '',
		deadline: '1 May 2026, 18:00',
		milestone: 'Works started',
		unit: 'property management',
		due: '2 Apr 2026',
		date: '1 Apr 2026',
		startsAt: '10 Apr 2026, 19:00',
	},
};

/** Signs of a sentence with a hole in it, and the generic line of an unknown kind. */
function defects(locale: Locale, text: string): string[] {
	const found: string[] = [];
	if (text === translate(locale, 'notifications.kind.unknown')) found.push('generic fallback');
	for (const [name, pattern] of [
		['placeholder left', /\{\w+\}/],
		['empty quotes', /「」|“”|""|''|‘’|\(\)|（）/],
		['double space', / {2}/],
		['nothing after a colon', /[：:]\s*[。.]?$|[：:]\s*[。.，,]/],
		['nothing before a mark', /\s[)）。.,，:：;；!！?？]/],
		['undefined', /undefined|null|NaN/],
	] as const) {
		if (pattern.test(text)) found.push(name);
	}
	return found;
}

const placeholders = (template: string) =>
	[...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('notification kinds', () => {
	it('are listed once, each with its params', () => {
		expect(notificationKinds.length).toBeGreaterThanOrEqual(16);
		expect(new Set(notificationKinds).size).toBe(notificationKinds.length);
		for (const kind of notificationKinds) {
			const params: readonly string[] = NOTIFICATION_KINDS[kind];
			// An English variant only beside the param it translates.
			for (const p of params.filter((x) => x.endsWith('En')))
				expect(params, `${kind}: ${p}`).toContain(p.slice(0, -2));
		}
	});

	it.each(notificationKinds)(
		'%s: each language uses exactly the params senders must supply',
		(kind) => {
			const required = NOTIFICATION_KINDS[kind].filter((p) => !p.endsWith('En')).sort();
			for (const locale of ['zh-CN', 'en'] as const) {
				expect(placeholders(translate(locale, kindKey(kind))), locale).toEqual(required);
			}
		},
	);

	describe.each(['zh-CN', 'en'] as const)('rendered in %s', (locale) => {
		it.each(notificationKinds)('%s reads as a whole sentence', (kind) => {
			const params = samples[kind];
			const text = renderNotification(locale, { kind, params });
			expect(defects(locale, text), text).toEqual([]);
			// Every variable shows, in the reader's language.
			for (const name of NOTIFICATION_KINDS[kind].filter((p) => !p.endsWith('En'))) {
				const raw = String(params[name]);
				const english = params[`${name}En`];
				const expected =
					name === 'disposition'
						? translate(locale, `moderation.disposition.${raw}` as 'moderation.disposition.adopted')
						: shown[locale][name] ||
							(locale === 'en' && english !== undefined ? String(english) : raw);
				expect(text, `${kind}: ${name}`).toContain(expected);
			}
			// Without its params (a sender that forgot them) the checks above would fail.
			const bare = renderNotification(locale, { kind, params: {} });
			expect(bare).not.toBe(text);
		});
	});

	it('catches the sentences issue 17 found on /account/notifications', () => {
		expect(defects('zh-CN', '您对「」提的意见有了答复。')).toContain('empty quotes');
		expect(defects('zh-CN', '您有一条新通知。')).toEqual(['generic fallback']);
		expect(defects('en', 'You have a new notification.')).toEqual(['generic fallback']);
		expect(defects('en', 'Your opinion on “” has an answer: .')).not.toEqual([]);
		expect(
			defects(
				'zh-CN',
				renderNotification('zh-CN', {
					kind: 'opinion.answered',
					params: { disposition: 'adopted' },
				}),
			),
		).not.toEqual([]);
		expect(
			defects('en', renderNotification('en', { kind: 'opinion.approved', params: {} })),
		).not.toEqual([]);
		expect(
			defects(
				'en',
				renderNotification('en', {
					kind: 'round.results_corrected',
					params: { ...project, title: 'T' },
				}),
			),
		).not.toEqual([]);
	});
});
