/**
 * Named answers (实名调查): who answered what, per household — only for a survey declared
 * non-anonymous before it was published (anonymity is fixed at publication), and only to the
 * committee of its community. An anonymous survey refuses whoever asks, always: nothing here
 * ever reads its answers.
 */
import { inArray, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import * as s from '../../../../db/schema/index.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { maskPhone } from '../auth/index.ts';
import { can } from '../policy/index.ts';
import type { Actor, Relation, StaffActor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { displayOrder } from './order.ts';
import type { AnswerValue, Answers, QuestionView, SurveyInfo } from './types.ts';

export const NAMED_PAGE_SIZE = 50;

export type NamedResponse = {
	responseId: number;
	householdId: number;
	compound: string;
	compoundEn: string;
	building: string;
	unit: string;
	room: string;
	channel: 'online' | 'paper';
	/** The resident who submitted last (name, or masked number); null once the account is gone. */
	respondent: string | null;
	relation: Relation | null;
	/** Paper forms: the staff member who entered it. */
	enteredBy: string | null;
	revision: number;
	updatedAt: Date;
	answers: Answers;
};

/**
 * Staff who may read the survey's named answers. Errors: forbidden (not staff; or the survey
 * is anonymous — `surveys.anonymousRefused`), not_found (another community's survey).
 */
export function requireNamedAnswers(
	actor: Actor | null,
	survey: Pick<SurveyInfo, 'communityId' | 'anonymous'>,
): StaffActor {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	if (!can(actor, 'survey.read_answers', { communityId: survey.communityId })) {
		throw new DomainError('not_found', 'error.notFound');
	}
	if (survey.anonymous) throw new DomainError('forbidden', 'surveys.anonymousRefused');
	return actor;
}

type ResponseRow = {
	id: number;
	household_id: number;
	compound: string;
	compound_en: string;
	building: string;
	unit: string;
	room: string;
	channel: 'online' | 'paper';
	display_name: string | null;
	phone: string | null;
	relation: Relation | null;
	entered_by: string | null;
	revision: number;
	updated_at: Date | string;
};

function answersOf(
	rows: { questionId: number; value: number; text: string | null }[],
	questions: QuestionView[],
) {
	const kinds = new Map(questions.map((q) => [q.id, q.kind]));
	const answers: Answers = new Map();
	for (const r of rows) {
		const kind = kinds.get(r.questionId);
		const prev = answers.get(r.questionId);
		if (kind === 'multiple') {
			const values = prev?.kind === 'multiple' ? prev.values : [];
			answers.set(r.questionId, { kind, values: [...values, r.value].sort((a, b) => a - b) });
		} else if (kind === 'text') answers.set(r.questionId, { kind, text: r.text ?? '' });
		else if (kind) answers.set(r.questionId, { kind, value: r.value });
	}
	return answers;
}

/**
 * One page (or, with `all`, every one) of a named survey's responses in household order
 * (compound, building, unit, room), each with its household, who answered, when, by which
 * channel and the answers. Errors: as requireNamedAnswers.
 */
export async function listNamedAnswers(
	db: Executor,
	actor: Actor | null,
	survey: SurveyInfo,
	options: { page?: number; all?: boolean } = {},
): Promise<{ total: number; page: number; pages: number; responses: NamedResponse[] }> {
	requireNamedAnswers(actor, survey);
	const [count] = await queryRows<{ n: number }>(
		db,
		sql`select count(*)::int as n from survey_responses where survey_id = ${survey.id}`,
	);
	const total = count?.n ?? 0;
	const pages = Math.max(1, Math.ceil(total / NAMED_PAGE_SIZE));
	const page = Math.min(Math.max(1, Math.trunc(options.page ?? 1)), pages);
	const limit = options.all
		? sql``
		: sql`limit ${NAMED_PAGE_SIZE} offset ${(page - 1) * NAMED_PAGE_SIZE}`;
	const rows = await queryRows<ResponseRow>(
		db,
		sql`select r.id, r.household_id, c.name as compound, c.name_en as compound_en, b.number as building,
		           u.number as unit, h.room, r.channel, ru.display_name, ru.phone, m.relation,
		           coalesce(nullif(eu.display_name, ''), eu.username) as entered_by, r.revision, r.updated_at
		    from survey_responses r
		    join households h on h.id = r.household_id
		    join units u on u.id = h.unit_id
		    join buildings b on b.id = h.building_id
		    join compounds c on c.id = h.compound_id
		    left join users ru on ru.id = r.user_id
		    left join users eu on eu.id = r.entered_by
		    left join lateral (
		      select relation from memberships
		      where user_id = r.user_id and household_id = r.household_id
		      order by ended_at is null desc, id desc limit 1
		    ) m on true
		    where r.survey_id = ${survey.id}
		    order by c.id, b.id, u.id, h.room, r.id
		    ${limit}`,
	);
	const ids = rows.map((r) => Number(r.id));
	const answerRows =
		ids.length === 0
			? []
			: await db
					.select({
						responseId: s.surveyAnswers.responseId,
						questionId: s.surveyAnswers.questionId,
						value: s.surveyAnswers.value,
						text: s.surveyAnswers.text,
					})
					.from(s.surveyAnswers)
					.where(inArray(s.surveyAnswers.responseId, ids));
	const byResponse = new Map<number, typeof answerRows>();
	for (const a of answerRows)
		byResponse.set(a.responseId, [...(byResponse.get(a.responseId) ?? []), a]);
	const responses = rows.map((r): NamedResponse => ({
		responseId: Number(r.id),
		householdId: Number(r.household_id),
		compound: r.compound,
		compoundEn: r.compound_en,
		building: r.building,
		unit: r.unit,
		room: r.room,
		channel: r.channel,
		respondent:
			r.channel === 'paper' ? null : r.display_name || (r.phone ? maskPhone(r.phone) : null),
		relation: r.relation,
		enteredBy: r.entered_by,
		revision: Number(r.revision),
		updatedAt: new Date(r.updated_at),
		answers: answersOf(byResponse.get(Number(r.id)) ?? [], survey.questions),
	}));
	return { total, page, pages, responses };
}

/** One answer as text: "4 · 满意", the option chosen, the options chosen, or the text. */
export function answerText(q: QuestionView, a: AnswerValue | undefined, locale: Locale): string {
	if (!a) return translate(locale, 'surveys.named.notAnswered');
	const en = locale === 'en';
	const option = (i: number) => {
		const o = q.options[i];
		return o ? (en && o.labelEn ? o.labelEn : o.label) : String(i);
	};
	if (a.kind === 'rating') {
		return `${a.value} · ${translate(locale, `surveys.rating.${a.value}` as 'surveys.rating.1')}`;
	}
	if (a.kind === 'single') return option(a.value);
	if (a.kind === 'multiple') return a.values.map(option).join(en ? ', ' : '、');
	return a.text;
}

/** The questions in the order residents saw them, numbered. */
export function numberedQuestions(survey: Pick<SurveyInfo, 'sections' | 'questions'>) {
	return displayOrder(survey.sections, survey.questions).map((q, i) => ({ number: i + 1, q }));
}
