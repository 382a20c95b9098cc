import { describe, expect, it } from 'vitest';
import { ballotForm, ballotPostTarget } from '../../../src/lib/server/http/ballot-post.ts';
import { castBallotInput } from '../../../src/lib/server/ballots/schemas.ts';

describe('the ballot POST answered before Astro', () => {
	it('is exactly the ballot page form’s action, in either locale', () => {
		expect(ballotPostTarget('POST', '/rounds/12/ballot/345?_action=ballots.cast')).toEqual({
			locale: 'zh-CN',
			roundId: 12,
			householdId: 345,
		});
		expect(ballotPostTarget('POST', '/en/rounds/12/ballot/345?_action=ballots.cast')).toEqual({
			locale: 'en',
			roundId: 12,
			householdId: 345,
		});
		for (const [method, url] of [
			['GET', '/rounds/12/ballot/345?_action=ballots.cast'],
			['POST', '/rounds/12/ballot/345'],
			['POST', '/rounds/12/ballot/345?_action=ballots.enterPaper'],
			['POST', '/rounds/12/ballot/345?_action=ballots.cast&x=1'],
			['POST', '/rounds/12/ballot/345/?_action=ballots.cast'],
			['POST', '/rounds/x/ballot/345?_action=ballots.cast'],
			['POST', '/rounds/1234567890/ballot/1?_action=ballots.cast'],
			['POST', '/_actions/ballots.cast'],
			['POST', '/fr/rounds/12/ballot/345?_action=ballots.cast'],
		] as const) {
			expect(ballotPostTarget(method, url), `${method} ${url}`).toBeNull();
		}
	});

	it('reads the form as the action does: nested choices and options, empty fields absent', () => {
		const form = ballotForm(
			'roundId=3&householdId=9&choices.11=agree&choices.12=abstain&options.4=17&overall=&comment=%E6%A5%BC+%3Cb%3E',
		);
		expect(form).toEqual({
			roundId: '3',
			householdId: '9',
			choices: { 11: 'agree', 12: 'abstain' },
			options: { 4: '17' },
			overall: undefined,
			comment: '楼 <b>',
		});
		expect(castBallotInput.parse(form)).toEqual({
			roundId: 3,
			householdId: 9,
			choices: { 11: 'agree', 12: 'abstain' },
			options: { 4: '17' },
			comment: '楼 <b>',
		});
		expect(ballotForm('roundId=3&householdId=9')).toMatchObject({ choices: {}, comment: '' });
	});

	it('leaves any field sent twice or never sent by the form to Astro', () => {
		expect(ballotForm('roundId=3&roundId=4&householdId=9')).toBeNull();
		expect(ballotForm('roundId=3&householdId=9&choices.1=agree&choices.1=disagree')).toBeNull();
		expect(ballotForm('roundId=3&householdId=9&__proto__.x=1')).toBeNull();
		expect(ballotForm('roundId=3&householdId=9&choices.x=agree')).toBeNull();
		expect(ballotForm('roundId=3&householdId=9&castBy=someone')).toBeNull();
	});
});
