import { translate, type Locale, type MessageKey } from '../../../i18n/index.ts';
import { zhCN } from '../../../i18n/zh-CN.ts';
import { formatChinaTime } from '../../china-time.ts';

/*
 * Notifications store `kind` + `params`, never text, so each reader gets their language. The
 * text is the catalog entry `notifications.kind.<kind>`, filled with the params:
 * - a param `x` with a sibling `xEn` uses `xEn` in English when it is not empty (names, titles);
 * - an ISO timestamp ("2026-05-01T08:00:00.000Z") is shown as China time, an ISO date as a date;
 * - `milestone`, `unit`, `outcome` and `disposition` hold keys (e.g. 'works_started',
 *   'adopted') and are translated;
 * - a placeholder with no param shows as an empty string, never as "{x}".
 * The kinds and the params each needs are listed once, in kinds.ts; the senders' types and a
 * table test hold every kind to it. A stored kind no longer listed (or a test's) shows a
 * generic line, so an old row never breaks the page.
 */

export type Params = Record<string, string | number>;

const isKey = (key: string): key is MessageKey => key in zhCN;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

/** A calendar date ("2026-05-01") in the reader's language. */
export function formatDay(locale: Locale, value: string): string {
	let format = dateFormats.get(locale);
	if (!format) {
		format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
			dateStyle: 'medium',
			timeZone: 'UTC',
		});
		dateFormats.set(locale, format);
	}
	return format.format(new Date(`${value}T00:00:00Z`));
}

/** A responsible unit's name: the configured keys are translated, other names shown as written. */
export function unitLabel(locale: Locale, unit: string): string {
	const key = `progress.unit.${unit}`;
	return isKey(key) ? translate(locale, key) : unit;
}

const keyed: Record<string, (locale: Locale, value: string) => string> = {
	milestone: (locale, v) => {
		const key = `progress.milestone.${v}`;
		return isKey(key) ? translate(locale, key) : v;
	},
	outcome: (locale, v) => {
		const key = `progress.outcome.${v}`;
		return isKey(key) ? translate(locale, key) : v;
	},
	disposition: (locale, v) => {
		const key = `moderation.disposition.${v}`;
		return isKey(key) ? translate(locale, key) : v;
	},
	unit: unitLabel,
};

function localizeParam(locale: Locale, name: string, params: Params): string {
	const english = params[`${name}En`];
	const raw =
		locale === 'en' && english !== undefined && String(english) !== ''
			? String(english)
			: String(params[name] ?? '');
	const translateKey = keyed[name];
	if (translateKey) return translateKey(locale, raw);
	if (ISO_TIME.test(raw)) {
		const date = new Date(raw);
		if (!Number.isNaN(date.getTime())) return formatChinaTime(locale, date);
	}
	if (ISO_DATE.test(raw)) return formatDay(locale, raw);
	return raw;
}

/** The text of a notification in the reader's language (plain text: pages escape it). */
export function renderNotification(
	locale: Locale,
	notification: { kind: string; params: Params | null },
): string {
	const key = `notifications.kind.${notification.kind}`;
	const template: MessageKey = isKey(key) ? key : 'notifications.kind.unknown';
	const params = notification.params ?? {};
	const names = [...translate(locale, template).matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
	return translate(
		locale,
		template,
		Object.fromEntries(names.map((name) => [name, localizeParam(locale, name, params)])),
	);
}

/** The text message for a notification: Chinese, the site's name, the text and the full link. */
export function renderSms(
	notification: { kind: string; params: Params | null; link: string },
	origin: string,
): string {
	return translate('zh-CN', 'notifications.sms', {
		text: renderNotification('zh-CN', notification),
		url: `${origin}${notification.link}`,
	});
}
