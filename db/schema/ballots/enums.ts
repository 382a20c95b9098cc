/** The vocabulary of rounds and ballots: kinds, rules, scopes, choices, states. */
import { pgEnum } from 'drizzle-orm/pg-core';

/** 需求问卷 needs questionnaire · 方案意见 opinion on a plan version · 专项表决 special decision. */
export const roundKind = pgEnum('round_kind', ['needs', 'plan_opinion', 'special']);

/**
 * simple_majority: > 1/2 of the responding households agree. civil_code_*: 民法典 art. 278
 * double thresholds, approval > 1/2 or ≥ 3/4 (matters 6–8 such as elevators).
 */
export const decisionRuleKind = pgEnum('decision_rule', [
	'simple_majority',
	'civil_code_majority',
	'civil_code_three_quarters',
]);

/** The scope a verdict is taken over: 小区 compound, 楼栋 building, 单元 unit. */
export const decisionScope = pgEnum('decision_scope', ['compound', 'building', 'unit']);

/** Tally rows exist per compound and building always, per unit when an item decides per unit. */
export const tallyLevel = pgEnum('tally_level', ['compound', 'building', 'unit']);

/** A verdict over one scope (ballots/rules.ts `Verdict`). */
export const roundVerdict = pgEnum('round_verdict', ['approved', 'rejected', 'not_quorate']);

export const ballotChannel = pgEnum('ballot_channel', ['online', 'paper']);

export const ballotChoice = pgEnum('ballot_choice', ['agree', 'disagree', 'abstain']);

/**
 * How a single-choice question (e.g. the property-management model) is decided: the option most
 * responding households chose (plurality), or an option passes only if it meets the Civil Code
 * double thresholds (art. 278: > 1/2, or ≥ 3/4 for matters 6–8).
 */
export const choiceRuleKind = pgEnum('choice_rule', [
	'plurality',
	'civil_code_majority',
	'civil_code_three_quarters',
]);

/**
 * A paper form entered twice (双人录入): the first entry awaits a second, different committee
 * member; a match counts it (confirmed), a difference leaves both for review (mismatch); a
 * reviewer accepts one (confirmed) and discards the other, or discards both.
 */
export const paperEntryState = pgEnum('paper_entry_state', [
	'awaiting',
	'confirmed',
	'mismatch',
	'discarded',
]);
