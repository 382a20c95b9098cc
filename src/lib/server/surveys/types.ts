/** View models of the surveys module (small, serialisable; never rows with personal data). */

export type SurveyMode = 'household' | 'resident';
export type SurveyStatus = 'draft' | 'open' | 'closed';
export type QuestionKind = 'rating' | 'single' | 'multiple' | 'text';
export type QuestionRole = 'item' | 'overall' | 'recommend';
/** What residents see: draft (not yet published), open, or closed (by staff or by time). */
export type SurveyPhase = 'draft' | 'open' | 'closed';

export type OptionView = { label: string; labelEn: string };

export type QuestionView = {
	id: number;
	sectionId: number | null;
	kind: QuestionKind;
	prompt: string;
	promptEn: string;
	required: boolean;
	sort: number;
	options: OptionView[];
	minChoices: number | null;
	maxChoices: number | null;
	maxLength: number | null;
	role: QuestionRole | null;
	planItemId: number | null;
};

export type SectionView = { id: number; title: string; titleEn: string; sort: number };

export type SurveyInfo = {
	id: number;
	projectId: number;
	projectSlug: string;
	projectName: string;
	projectNameEn: string;
	communityId: number;
	title: string;
	titleEn: string;
	description: string;
	descriptionEn: string;
	mode: SurveyMode;
	anonymous: boolean;
	status: SurveyStatus;
	publishedAt: Date | null;
	closesAt: Date | null;
	closedAt: Date | null;
	/** Why staff closed it early below the participation target; '' otherwise. */
	earlyCloseReason: string;
	scopeHouseholds: number;
	sections: SectionView[];
	questions: QuestionView[];
};

/** A validated answer set: question id → rating / option indexes / text. */
export type AnswerValue =
	| { kind: 'rating'; value: number }
	| { kind: 'single'; value: number }
	| { kind: 'multiple'; values: number[] }
	| { kind: 'text'; text: string };
export type Answers = Map<number, AnswerValue>;

/** An exact share: `num` of `den` (den 0 means "no valid answers"). */
export type Ratio = { num: number; den: number };

export type RatingStats = {
	kind: 'rating';
	/** Counts of 1..5 at index 0..4. */
	distribution: [number, number, number, number, number];
	valid: number;
	/** Sum of the ratings, so the mean is exactly sum / valid. */
	sum: number;
	satisfied: Ratio;
};
export type ChoiceStats = {
	kind: 'single' | 'multiple';
	/** Respondents who answered the question. */
	answered: number;
	/** Per option, in option order: respondents who chose it. */
	counts: number[];
};
export type TextStats = { kind: 'text'; answered: number; published: string[] };

export type QuestionResult = {
	id: number;
	kind: QuestionKind;
	prompt: string;
	promptEn: string;
	role: QuestionRole | null;
	sectionId: number | null;
	options: OptionView[];
	/** True when fewer than the minimum answered: no figures are shown (k-anonymity). */
	suppressed: boolean;
	answered: number;
	stats: RatingStats | ChoiceStats | TextStats | null;
};

export type BuildingResult = {
	buildingId: number;
	name: string;
	nameEn: string;
	households: number;
	/** Households that responded (shown always: who responded is not what they answered). */
	responded: number;
	suppressed: boolean;
	/** The overall question's figures; null when suppressed or when there is no such question. */
	overall: RatingStats | null;
};

/** The published or live results of a survey: the snapshot stored at publication. */
export type SurveyResultsView = {
	surveyId: number;
	title: string;
	titleEn: string;
	anonymous: boolean;
	mode: SurveyMode;
	closedAt: string | null;
	households: number;
	respondedHouseholds: number;
	responses: number;
	minGroup: number;
	/** True when the whole survey has fewer responses than the minimum: nothing is shown. */
	suppressed: boolean;
	overall: RatingStats | null;
	sections: SectionView[];
	questions: QuestionResult[];
	buildings: BuildingResult[];
};
