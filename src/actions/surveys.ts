import { defineAction } from 'astro:actions';
import {
	addQuestion,
	addQuestionInput,
	addSection,
	addSectionInput,
	closeSurvey,
	closeSurveyInput,
	createSurvey,
	createSurveyInput,
	enterPaperResponse,
	moderateSurveyText,
	moderateTextInput,
	moveQuestion,
	moveQuestionInput,
	moveSection,
	moveSectionInput,
	openSurvey,
	openSurveyInput,
	paperResponseInput,
	publishSurveyInput,
	publishSurveyResults,
	questionRefInput,
	questionSectionInput,
	removeQuestion,
	removeSection,
	respondInput,
	sectionRefInput,
	setQuestionSection,
	submitResponse,
	updateSection,
	updateSectionInput,
	updateSurvey,
	updateSurveyInput,
} from '../lib/server/surveys/index.ts';
import { getDb } from '../lib/server/db.ts';
import { run } from './run.ts';

const ok = { ok: true } as const;

/** Satisfaction surveys; every handler's command checks the policy. */
export const surveys = {
	create: defineAction({
		accept: 'form',
		input: createSurveyInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => createSurvey(await getDb(), ctx.locals.actor, input)),
	}),
	update: defineAction({
		accept: 'form',
		input: updateSurveyInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await updateSurvey(await getDb(), ctx.locals.actor, input);
				return ok;
			}),
	}),
	addSection: defineAction({
		accept: 'form',
		input: addSectionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => ({
				sectionId: await addSection(await getDb(), ctx.locals.actor, input),
			})),
	}),
	updateSection: defineAction({
		accept: 'form',
		input: updateSectionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await updateSection(await getDb(), ctx.locals.actor, input);
				return ok;
			}),
	}),
	removeSection: defineAction({
		accept: 'form',
		input: sectionRefInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await removeSection(await getDb(), ctx.locals.actor, input);
				return ok;
			}),
	}),
	moveSection: defineAction({
		accept: 'form',
		input: moveSectionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await moveSection(await getDb(), ctx.locals.actor, input);
				return ok;
			}),
	}),
	setQuestionSection: defineAction({
		accept: 'form',
		input: questionSectionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await setQuestionSection(await getDb(), ctx.locals.actor, input);
				return ok;
			}),
	}),
	addQuestion: defineAction({
		accept: 'form',
		input: addQuestionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => ({
				questionId: await addQuestion(await getDb(), ctx.locals.actor, input),
			})),
	}),
	moveQuestion: defineAction({
		accept: 'form',
		input: moveQuestionInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await moveQuestion(await getDb(), ctx.locals.actor, input);
				return ok;
			}),
	}),
	removeQuestion: defineAction({
		accept: 'form',
		input: questionRefInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await removeQuestion(await getDb(), ctx.locals.actor, input);
				return ok;
			}),
	}),
	open: defineAction({
		accept: 'form',
		input: openSurveyInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => openSurvey(await getDb(), ctx.locals.actor, input)),
	}),
	close: defineAction({
		accept: 'form',
		input: closeSurveyInput,
		handler: (input, ctx) =>
			run(ctx, input, async () =>
				closeSurvey(await getDb(), ctx.locals.actor, input.surveyId, input),
			),
	}),
	respond: defineAction({
		accept: 'form',
		input: respondInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => submitResponse(await getDb(), ctx.locals.actor, input)),
	}),
	enterPaper: defineAction({
		accept: 'form',
		input: paperResponseInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => enterPaperResponse(await getDb(), ctx.locals.actor, input)),
	}),
	moderateText: defineAction({
		accept: 'form',
		input: moderateTextInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => {
				await moderateSurveyText(await getDb(), ctx.locals.actor, input);
				return ok;
			}),
	}),
	publish: defineAction({
		accept: 'form',
		input: publishSurveyInput,
		handler: (input, ctx) =>
			run(ctx, input, async () => publishSurveyResults(await getDb(), ctx.locals.actor, input)),
	}),
};
