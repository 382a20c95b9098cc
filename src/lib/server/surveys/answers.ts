/**
 * Checks a submitted answer set against the survey's questions (pure). Form fields are
 * `a.<questionId>` for a rating, a single choice or a text, and `a.<questionId>.<option>` for
 * each ticked box of a multiple choice, so the form works without JavaScript.
 */
import type { MessageKey } from '../../../i18n/index.ts';
import type { Answers, QuestionView } from './types.ts';

export type AnswerCheck = { answers: Answers; errors: Map<number, MessageKey> };

/** Default limit of a free-text answer when the question sets none. */
export const DEFAULT_TEXT_LIMIT = 500;

function integer(value: string | undefined): number | null {
	if (value === undefined || !/^\d{1,3}$/.test(value.trim())) return null;
	return Number(value.trim());
}

/**
 * Validates raw answers: unknown question ids are refused, required questions must be
 * answered, ratings are 1–5, choices are existing options within min/max, texts within their
 * limit. Returns the normalised answers and one message per question in error.
 */
export function checkAnswers(
	questions: readonly QuestionView[],
	raw: Readonly<Record<string, string | undefined>>,
): AnswerCheck {
	const answers: Answers = new Map();
	const errors = new Map<number, MessageKey>();
	const known = new Set(questions.map((q) => String(q.id)));
	for (const key of Object.keys(raw)) {
		if (!known.has(key.split('.')[0]!)) errors.set(0, 'surveys.unknownQuestion');
	}
	for (const q of questions) {
		const value = raw[String(q.id)]?.trim() ?? '';
		if (q.kind === 'rating' || q.kind === 'single') {
			if (value === '') {
				if (q.required) errors.set(q.id, 'surveys.answerRequired');
				continue;
			}
			const n = integer(value);
			const ok =
				q.kind === 'rating' ? n !== null && n >= 1 && n <= 5 : n !== null && n < q.options.length;
			if (!ok) errors.set(q.id, 'surveys.answerInvalid');
			else answers.set(q.id, { kind: q.kind, value: n! });
		} else if (q.kind === 'multiple') {
			const picked = Object.keys(raw)
				.filter((k) => k.startsWith(`${q.id}.`) && (raw[k] ?? '') !== '')
				.map((k) => integer(k.slice(String(q.id).length + 1)));
			if (picked.some((n) => n === null || n >= q.options.length)) {
				errors.set(q.id, 'surveys.answerInvalid');
				continue;
			}
			const values = [...new Set(picked as number[])].sort((a, b) => a - b);
			if (values.length === 0) {
				if (q.required) errors.set(q.id, 'surveys.answerRequired');
				continue;
			}
			if (q.minChoices !== null && values.length < q.minChoices)
				errors.set(q.id, 'surveys.tooFewChoices');
			else if (q.maxChoices !== null && values.length > q.maxChoices)
				errors.set(q.id, 'surveys.tooManyChoices');
			else answers.set(q.id, { kind: 'multiple', values });
		} else {
			if (value === '') {
				if (q.required) errors.set(q.id, 'surveys.answerRequired');
				continue;
			}
			if ([...value].length > (q.maxLength ?? DEFAULT_TEXT_LIMIT))
				errors.set(q.id, 'surveys.textTooLong');
			else answers.set(q.id, { kind: 'text', text: value });
		}
	}
	return { answers, errors };
}

/** The raw form values of a stored answer set, to fill the form again. */
export function answersToRaw(answers: Answers): Record<string, string> {
	const raw: Record<string, string> = {};
	for (const [id, a] of answers) {
		if (a.kind === 'multiple') for (const v of a.values) raw[`${id}.${v}`] = 'on';
		else raw[String(id)] = a.kind === 'text' ? a.text : String(a.value);
	}
	return raw;
}
