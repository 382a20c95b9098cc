/**
 * Decision rules for consultation rounds (PRODUCT capability 4): a simple majority of responding
 * households, or the double thresholds of the Civil Code (民法典 art. 278).
 *
 * Pure and exact: areas are integers in 0.01 m² (the registered area has two decimals), counts
 * are integers, and every ratio is compared by cross-multiplication in BigInt, so no rounding
 * can move a result across 2/3, 3/4 or 1/2.
 */
import type { RuleKind } from './tally.ts';

export type Choice = 'agree' | 'disagree' | 'abstain';

/** A household (专有部分) in the decision's scope: compound, building or unit. */
export type ScopeUnit = {
	householdId: number;
	/** Registered floor area in 0.01 m² (SPC interpretation on 建筑物区分所有权 art. 8). */
	areaCenti: bigint;
	/** Units sharing this key belong to one owner, who counts as one head (same, art. 9). */
	ownerKey: string;
};

/** The ballot that counts for one household (its last revision), from an eligible voter. */
export type CastBallot = { householdId: number; choice: Choice };

/**
 * - `simple_majority`: for plan-opinion and needs rounds. A verdict stands only where at least
 *   2/3 of the scope's households responded ("收取的意见不得少于户数的三分之二", seeds/000);
 *   then approved when agree ballots are more than half of the responding households ("过半数").
 *   Abstentions respond without agreeing. Counted per household.
 * - `civil_code`: art. 278 — participation ≥ 2/3 of the area and ≥ 2/3 of the heads; approval
 *   ≥ 3/4 (matters 6–8: maintenance funds, rebuilding/renovation, changing the use of common
 *   parts such as elevators) or > 1/2 (other matters) of the participating area and heads.
 */
export type DecisionRule =
	{ kind: 'simple_majority' } | { kind: 'civil_code'; approval: 'three_quarters' | 'majority' };

/**
 * The matters of 民法典 art. 278 para. 1 that need the special thresholds (para. 2: approval by
 * ≥ 3/4 of the participating area and owners): (6) raising maintenance funds 筹集建筑物及其附属
 * 设施的维修资金, (7) rebuilding or renovating buildings and their facilities 改建、重建建筑物及其
 * 附属设施 — adding an elevator is one —, (8) changing the use of common parts or running a
 * business on them 改变共有部分的用途或者利用共有部分从事经营活动. The menu marks its items
 * (renovation_items.special_matter); typed questions are marked by the committee or by these words.
 */
export const SPECIAL_MATTERS = [6, 7, 8] as const;

const SPECIAL_MATTER_WORDS =
	/电梯|筹集|续筹|改建|重建|改变.{0,8}用途|经营|elevator|\blift\b|raise.{0,20}fund|rebuild|change.{0,20}use/i;

/**
 * Whether a typed question names a special matter (see SPECIAL_MATTERS). A false positive only
 * makes the question stricter, which a committee may always do; a false negative is what the
 * form's checkbox is for.
 */
export function namesSpecialMatter(text: string): boolean {
	return SPECIAL_MATTER_WORDS.test(text);
}

/**
 * The rule an item or a single-choice question is decided by: a special matter always by art.
 * 278's special thresholds (participation ≥ 2/3 of the area and owners, approval ≥ 3/4),
 * whatever the round's default; anything else by the rule the committee chose. So a committee
 * may make an ordinary item stricter, never a special one looser.
 */
export function ruleFor<Kind extends 'plurality' | RuleKind>(
	chosen: Kind,
	specialMatter: boolean,
): Kind | 'civil_code_three_quarters' {
	return specialMatter ? 'civil_code_three_quarters' : chosen;
}

export type Fraction = { num: bigint; den: bigint };
/** `inclusive` ≥ for "以上", strict > for "过半数" / "超过" (民法典 art. 1259). */
export type Threshold = Fraction & { inclusive: boolean };

export type CheckName =
	| 'participation_households'
	| 'participation_area'
	| 'participation_heads'
	| 'approval_area'
	| 'approval_heads'
	| 'majority';

export type DecisionCheck = {
	name: CheckName;
	/** Households or heads (counts), or 0.01 m² (`*_area`). */
	numerator: bigint;
	denominator: bigint;
	threshold: Threshold;
	passed: boolean;
	/** The smallest numerator that passes over this denominator; null when the base is empty. */
	required: bigint | null;
	/**
	 * numerator − required, signed, in the check's unit ('+0' passes exactly at the boundary,
	 * '-3' is three households/heads short, '+12.50' is 12.50 m² spare); 'n/a' for an empty
	 * base. Starts with '+' exactly when the check passed. For approval checks it counts ballots
	 * that would have to change among the same participants.
	 */
	margin: string;
};

export type Verdict = 'approved' | 'rejected' | 'not_quorate';
export type Decision = { verdict: Verdict; checks: DecisionCheck[] };

/** "三分之二以上" — 以上 includes the boundary (民法典 art. 1259). */
export const TWO_THIRDS: Threshold = { num: 2n, den: 3n, inclusive: true };
/** "四分之三以上" — art. 278 matters 6–8. */
export const THREE_QUARTERS: Threshold = { num: 3n, den: 4n, inclusive: true };
/** "过半数" — strictly more than half: exactly 1/2 fails. */
export const MORE_THAN_HALF: Threshold = { num: 1n, den: 2n, inclusive: false };

/**
 * Compares a.num/a.den with b.num/b.den exactly: -1, 0 or 1.
 * Throws RangeError when a denominator is not positive.
 */
export function compareFraction(a: Fraction, b: Fraction): -1 | 0 | 1 {
	if (a.den <= 0n || b.den <= 0n) throw new RangeError('fraction denominators must be positive');
	const diff = a.num * b.den - b.num * a.den;
	return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}

/**
 * Whether num/den reaches the threshold (≥ when inclusive, > otherwise). An empty base
 * (den = 0) meets no threshold: nobody can decide for nobody. Throws RangeError on a negative
 * `den` or a threshold whose denominator is not positive.
 */
export function meetsThreshold(num: bigint, den: bigint, threshold: Threshold): boolean {
	if (den < 0n) throw new RangeError('denominator must not be negative');
	if (den === 0n) return false;
	const order = compareFraction({ num, den }, threshold);
	return threshold.inclusive ? order >= 0 : order > 0;
}

/** The smallest n ≥ 0 with n/den meeting the threshold, for den > 0 and a threshold ≥ 0. */
export function requiredNumerator(den: bigint, threshold: Threshold): bigint {
	if (den <= 0n || threshold.den <= 0n || threshold.num < 0n) {
		throw new RangeError('requiredNumerator needs a positive base and a non-negative threshold');
	}
	const scaled = threshold.num * den;
	if (threshold.inclusive) return (scaled + threshold.den - 1n) / threshold.den;
	return scaled / threshold.den + 1n;
}

/**
 * Parses a registered area as PostgreSQL numeric(10,2) returns it ("85.5", "72.36") into
 * 0.01 m². Throws RangeError on anything else (signs, exponents, a third decimal).
 */
export function parseCenti(text: string): bigint {
	const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
	if (!match) throw new RangeError(`not an exact amount with two decimals: ${text}`);
	return BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

/** 1234n → '12.34'; negative values keep their sign. */
export function formatCenti(centi: bigint): string {
	const sign = centi < 0n ? '-' : '';
	const abs = centi < 0n ? -centi : centi;
	return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

type Unit = 'count' | 'centi';

function buildCheck(
	name: CheckName,
	numerator: bigint,
	denominator: bigint,
	threshold: Threshold,
	unit: Unit,
): DecisionCheck {
	const passed = meetsThreshold(numerator, denominator, threshold);
	if (denominator === 0n) {
		return { name, numerator, denominator, threshold, passed, required: null, margin: 'n/a' };
	}
	const required = requiredNumerator(denominator, threshold);
	const diff = numerator - required;
	const abs = diff < 0n ? -diff : diff;
	const margin = `${diff < 0n ? '-' : '+'}${unit === 'centi' ? formatCenti(abs) : abs}`;
	return { name, numerator, denominator, threshold, passed, required, margin };
}

/**
 * What a decision needs about one scope, as counts: households and responding ones, areas in
 * 0.01 m², owner heads. `tallyBallots` computes it from ballots; the ballots module keeps it up
 * to date in the database and decides from the stored numbers with `decideTally`.
 */
export type Tally = {
	households: bigint;
	responding: bigint;
	agree: bigint;
	totalArea: bigint;
	participatingArea: bigint;
	agreeArea: bigint;
	totalHeads: bigint;
	participatingHeads: bigint;
	approvingHeads: bigint;
};

const choices: ReadonlySet<string> = new Set<Choice>(['agree', 'disagree', 'abstain']);

function indexBallots(scope: readonly ScopeUnit[], ballots: readonly CastBallot[]) {
	const inScope = new Set<number>();
	for (const unit of scope) {
		if (inScope.has(unit.householdId)) {
			throw new RangeError(`household ${unit.householdId} appears twice in the scope`);
		}
		if (unit.areaCenti <= 0n) throw new RangeError(`household ${unit.householdId} has no area`);
		if (unit.ownerKey === '') throw new RangeError(`household ${unit.householdId} has no owner`);
		inScope.add(unit.householdId);
	}
	const byHousehold = new Map<number, Choice>();
	for (const ballot of ballots) {
		if (!inScope.has(ballot.householdId)) {
			throw new RangeError(`ballot for household ${ballot.householdId} outside the scope`);
		}
		if (byHousehold.has(ballot.householdId)) {
			throw new RangeError(`two ballots for household ${ballot.householdId}`);
		}
		if (!choices.has(ballot.choice)) throw new RangeError(`unknown choice ${ballot.choice}`);
		byHousehold.set(ballot.householdId, ballot.choice);
	}
	return byHousehold;
}

/**
 * Counts areas per unit and heads per owner. An owner of several units in the scope is one
 * head (SPC interpretation art. 9). That head participates when any of their units returned a
 * ballot, and approves only when every one of their units that returned a ballot agreed: a head
 * is one person's consent, and conflicting ballots from their own flats (e.g. different
 * authorised members) do not establish it, so the head then counts like an abstention —
 * participating, not approving. Units without a ballot are silence, not dissent. This keeps the
 * rule monotone: changing any ballot to 'agree' never lowers an approving count.
 */
export function tallyBallots(scope: readonly ScopeUnit[], ballots: readonly CastBallot[]): Tally {
	const byHousehold = indexBallots(scope, ballots);
	const owners = new Map<string, { participated: boolean; allAgree: boolean }>();
	const t: Tally = {
		households: BigInt(scope.length),
		responding: BigInt(byHousehold.size),
		agree: 0n,
		totalArea: 0n,
		participatingArea: 0n,
		agreeArea: 0n,
		totalHeads: 0n,
		participatingHeads: 0n,
		approvingHeads: 0n,
	};
	for (const unit of scope) {
		const choice = byHousehold.get(unit.householdId);
		const owner = owners.get(unit.ownerKey) ?? { participated: false, allAgree: true };
		owners.set(unit.ownerKey, owner);
		t.totalArea += unit.areaCenti;
		if (choice === undefined) continue;
		owner.participated = true;
		t.participatingArea += unit.areaCenti;
		if (choice === 'agree') {
			t.agree += 1n;
			t.agreeArea += unit.areaCenti;
		} else {
			owner.allAgree = false;
		}
	}
	for (const owner of owners.values()) {
		t.totalHeads += 1n;
		if (owner.participated) t.participatingHeads += 1n;
		if (owner.participated && owner.allAgree) t.approvingHeads += 1n;
	}
	return t;
}

/**
 * Decides one item (or one special decision) over a scope's units from the ballots that count.
 * Returns the verdict and every check with its exact numbers and margin, for the published
 * tally and the committee's notice. `not_quorate` when participation fails: under 2/3 of the
 * households (simple_majority) or of the area or heads (civil_code); an empty scope is `not_quorate`, never a division by zero.
 * Throws RangeError when the caller's contract is broken: a household twice in the scope, a
 * non-positive area, an empty owner key, a ballot outside the scope, two ballots for one
 * household, or an unknown choice.
 */
export function decide(
	rule: DecisionRule,
	scope: readonly ScopeUnit[],
	ballots: readonly CastBallot[],
): Decision {
	return decideTally(rule, tallyBallots(scope, ballots));
}

/**
 * Decides from counts already tallied (see `Tally`); `decide` is exactly
 * `decideTally(rule, tallyBallots(scope, ballots))`. Throws RangeError when a base is negative.
 */
export function decideTally(rule: DecisionRule, t: Tally): Decision {
	if (rule.kind === 'simple_majority') {
		const participation = buildCheck(
			'participation_households',
			t.responding,
			t.households,
			TWO_THIRDS,
			'count',
		);
		const majority = buildCheck('majority', t.agree, t.responding, MORE_THAN_HALF, 'count');
		const verdict = !participation.passed
			? 'not_quorate'
			: majority.passed
				? 'approved'
				: 'rejected';
		return { verdict, checks: [participation, majority] };
	}
	const approval = rule.approval === 'three_quarters' ? THREE_QUARTERS : MORE_THAN_HALF;
	const checks = [
		buildCheck('participation_area', t.participatingArea, t.totalArea, TWO_THIRDS, 'centi'),
		buildCheck('participation_heads', t.participatingHeads, t.totalHeads, TWO_THIRDS, 'count'),
		buildCheck('approval_area', t.agreeArea, t.participatingArea, approval, 'centi'),
		buildCheck('approval_heads', t.approvingHeads, t.participatingHeads, approval, 'count'),
	];
	const [partArea, partHeads, approvalArea, approvalHeads] = checks as [
		DecisionCheck,
		DecisionCheck,
		DecisionCheck,
		DecisionCheck,
	];
	const verdict: Verdict = !(partArea.passed && partHeads.passed)
		? 'not_quorate'
		: approvalArea.passed && approvalHeads.passed
			? 'approved'
			: 'rejected';
	return { verdict, checks };
}

/**
 * Only the verdict of `decideTally`, without building the checks and margins: the same
 * thresholds in the same order (participation first), for results that show thousands of
 * verdicts (every building of a city-wide round). Equal to `decideTally(rule, t).verdict`.
 */
export function verdictOfTally(rule: DecisionRule, t: Tally): Verdict {
	if (rule.kind === 'simple_majority') {
		if (!meetsThreshold(t.responding, t.households, TWO_THIRDS)) return 'not_quorate';
		return meetsThreshold(t.agree, t.responding, MORE_THAN_HALF) ? 'approved' : 'rejected';
	}
	const quorate =
		meetsThreshold(t.participatingArea, t.totalArea, TWO_THIRDS) &&
		meetsThreshold(t.participatingHeads, t.totalHeads, TWO_THIRDS);
	if (!quorate) return 'not_quorate';
	const approval = rule.approval === 'three_quarters' ? THREE_QUARTERS : MORE_THAN_HALF;
	return meetsThreshold(t.agreeArea, t.participatingArea, approval) &&
		meetsThreshold(t.approvingHeads, t.participatingHeads, approval)
		? 'approved'
		: 'rejected';
}

/**
 * How a single-choice question is decided (e.g. the property-management model: 物业服务企业 /
 * 居民自治 / 社区托管): `plurality` — where at least 2/3 of the households answered, the option chosen by the
 * most responding households wins,
 * strictly ahead of every other (a tie decides nothing); `civil_code` — an option passes only if
 * it meets the art. 278 double thresholds on its own (participation ≥ 2/3 of the area and heads,
 * approval > 1/2 or ≥ 3/4 of the participating area and heads). Choosing a property-service
 * company is matter 4 of art. 278, so > 1/2 ("双过半").
 */
export type ChoiceRule =
	{ kind: 'plurality' } | { kind: 'civil_code'; approval: 'three_quarters' | 'majority' };

/**
 * chosen: one option won or passed · tie: several options share the most households
 * (plurality) · none: nobody chose an option (all abstained), or no option met the thresholds ·
 * not_quorate: under 2/3 of the households answered (plurality) or art. 278 participation
 * failed (civil_code).
 */
export type ChoiceOutcome = 'chosen' | 'tie' | 'none' | 'not_quorate';

export type ChoiceDecision = {
	outcome: ChoiceOutcome;
	/** Index of the chosen option; null unless `outcome` is 'chosen'. */
	winner: number | null;
	/** Plurality: households the winner (or the tied options) lead the next option by; else null. */
	lead: bigint | null;
	/** Per option, in input order: approved exactly for the winner, with the checks that decided. */
	options: Decision[];
};

/**
 * Decides a single-choice question over one scope from each option's tally, where a household
 * "agrees" with the option it chose, "disagrees" with every other option and "abstains" on all
 * of them when it chose none (so every option has the same respondents and participation).
 * Under the Civil Code at most one option can pass: approvals of different options are disjoint
 * households and heads, and two shares each above 1/2 cannot both exist.
 * Throws RangeError for no options or options whose respondents differ.
 */
export function decideChoice(rule: ChoiceRule, options: readonly Tally[]): ChoiceDecision {
	const first = options[0];
	if (!first) throw new RangeError('a choice question needs options');
	if (options.some((t) => t.responding !== first.responding)) {
		throw new RangeError('every option of a question has the same respondents');
	}
	if (rule.kind === 'civil_code') {
		const decisions = options.map((t) => decideTally(rule, t));
		const approved = decisions.flatMap((d, i) => (d.verdict === 'approved' ? [i] : []));
		const outcome: ChoiceOutcome =
			decisions[0]!.verdict === 'not_quorate'
				? 'not_quorate'
				: approved.length === 1
					? 'chosen'
					: approved.length === 0
						? 'none'
						: 'tie';
		return {
			outcome,
			winner: outcome === 'chosen' ? approved[0]! : null,
			lead: null,
			options: decisions,
		};
	}
	const all = (verdict: Verdict) => options.map((): Decision => ({ verdict, checks: [] }));
	// Like a plan opinion, a choice stands only where 2/3 of the households answered (seeds/000).
	if (!meetsThreshold(first.responding, first.households, TWO_THIRDS)) {
		return { outcome: 'not_quorate', winner: null, lead: null, options: all('not_quorate') };
	}
	const counts = options.map((t) => t.agree);
	const top = counts.reduce((a, b) => (b > a ? b : a), 0n);
	const leaders = counts.flatMap((n, i) => (n === top ? [i] : []));
	const next = counts.filter((n) => n !== top).reduce((a, b) => (b > a ? b : a), 0n);
	if (top === 0n) return { outcome: 'none', winner: null, lead: null, options: all('rejected') };
	if (leaders.length > 1) {
		return { outcome: 'tie', winner: null, lead: 0n, options: all('rejected') };
	}
	const winner = leaders[0]!;
	return {
		outcome: 'chosen',
		winner,
		lead: top - next,
		options: options.map((_t, i): Decision => ({
			verdict: i === winner ? 'approved' : 'rejected',
			checks: [],
		})),
	};
}
