/**
 * What a household's ballot answers, pure: the submitted yes/no choices and single-choice
 * answers checked against the items the household answers, and turned into the stored form, a
 * choice per round item. An option of a single-choice question is stored like a yes/no item:
 * "agree" on the chosen option, "disagree" on the others, "abstain" on all when the household
 * chose none — so the running tallies, the recount and the rules need nothing new for it.
 */
import { DomainError } from '../shared/index.ts';
import { covers, type Choices, type ScopeHousehold } from './tally.ts';
import type { Choice, RoundInfo } from './types.ts';

/** A single-choice answer: the round item id of the chosen option, or 'abstain'. */
export type OptionAnswer = string;

export type SubmittedChoices = {
	/** Yes/no items: round item id → choice. */
	choices: Record<string, Choice>;
	/** Single-choice questions: question id → chosen option's round item id, or 'abstain'. */
	options?: Record<string, OptionAnswer> | undefined;
};

/**
 * The stored choices of a complete ballot: a choice for exactly the yes/no items the household
 * answers (all items, or those of its building) and an answer to each of its single-choice
 * questions. A ballot is complete or refused, so every counted ballot responds to every item in
 * its scope. Errors: invalid with 'ballots.choiceInvalid' (an unknown item, question or option;
 * an option given as a yes/no item) or 'ballots.choiceMissing' (an item or question unanswered).
 */
export function ballotChoices(
	round: Pick<RoundInfo, 'items' | 'questions'>,
	household: ScopeHousehold,
	given: SubmittedChoices,
): Choices {
	const plain = round.items
		.filter((item) => item.questionId === null && covers(item, household))
		.map((item) => String(item.id));
	const questions = round.questions.filter((q) => covers(q, household));
	const answers = given.options ?? {};
	const extra =
		Object.keys(given.choices).some((key) => !plain.includes(key)) ||
		Object.keys(answers).some((key) => !questions.some((q) => String(q.id) === key));
	if (extra) throw new DomainError('invalid', 'ballots.choiceInvalid');
	const missing =
		plain.some((key) => given.choices[key] === undefined) ||
		questions.some((q) => answers[String(q.id)] === undefined);
	if (missing) throw new DomainError('invalid', 'ballots.choiceMissing');
	const stored: Choices = Object.fromEntries(plain.map((key) => [key, given.choices[key]!]));
	for (const question of questions) {
		const answer = answers[String(question.id)]!;
		const chosen = question.optionIds.find((id) => String(id) === answer);
		if (answer !== 'abstain' && chosen === undefined) {
			throw new DomainError('invalid', 'ballots.choiceInvalid');
		}
		for (const id of question.optionIds) {
			stored[String(id)] = chosen === undefined ? 'abstain' : id === chosen ? 'agree' : 'disagree';
		}
	}
	return stored;
}

/**
 * The single-choice answers of stored choices, per question id: the chosen option's item id,
 * 'abstain', or nothing for a question the choices do not answer. For forms and exports.
 */
export function optionAnswers(
	round: Pick<RoundInfo, 'questions'>,
	choices: Readonly<Record<string, Choice>>,
): Record<string, OptionAnswer> {
	const answers: Record<string, OptionAnswer> = {};
	for (const question of round.questions) {
		const given = question.optionIds.map((id) => choices[String(id)]);
		if (given.some((c) => c === undefined)) continue;
		const chosen = question.optionIds.find((id) => choices[String(id)] === 'agree');
		answers[String(question.id)] = chosen === undefined ? 'abstain' : String(chosen);
	}
	return answers;
}

/** Whether two sets of stored choices say the same thing (double entry compares two forms). */
export function sameChoices(a: Readonly<Choices>, b: Readonly<Choices>): boolean {
	const keys = Object.keys(a);
	return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
