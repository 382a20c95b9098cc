import { describe, expect, it } from 'vitest';
import {
	renderNotification,
	renderSms,
	unitLabel,
} from '../../../src/lib/server/notifications/render.ts';

const round = {
	kind: 'round.opened',
	params: {
		project: '红岩新村',
		projectEn: 'Hongyan',
		title: '方案意见',
		titleEn: '',
		deadline: '2026-05-01T10:00:00.000Z',
	},
};

describe('renderNotification', () => {
	it.each([
		['zh-CN', round, '「红岩新村」开始征求意见：方案意见，请在 2026年5月1日 18:00 前为您家提交。'],
		[
			'en',
			round,
			'“Hongyan” is consulting residents: 方案意见. Answer for your household by 1 May 2026, 18:00.',
		],
		[
			'zh-CN',
			{
				kind: 'progress.milestone',
				params: { project: '红岩', milestone: 'works_started', date: '2026-04-01' },
			},
			'「红岩」开工：2026年4月1日。',
		],
		[
			'en',
			{
				kind: 'progress.milestone',
				params: {
					project: '红岩',
					projectEn: 'Hongyan',
					milestone: 'joint_acceptance',
					date: '2026-04-01',
				},
			},
			'“Hongyan”: Joint completion acceptance on 1 Apr 2026.',
		],
		[
			'zh-CN',
			{ kind: 'problem.dispatched', params: { project: 'P', unit: 'pipeline', due: '2026-04-02' } },
			'您在「P」反映的问题已派给管线单位，2026年4月2日 前处理。',
		],
		[
			'en',
			{
				kind: 'problem.dispatched',
				params: { project: 'P', unit: '自来水公司', due: '2026-04-02' },
			},
			'The problem you reported on “P” was sent to 自来水公司, to be handled by 2 Apr 2026.',
		],
		['en', { kind: 'a.kind.nobody.knows', params: {} }, 'You have a new notification.'],
		[
			'en',
			{
				kind: 'opinion.answered',
				params: { project: '杜鹃', projectEn: 'Dujuan', disposition: 'noted' },
			},
			'Your opinion on “Dujuan” has an answer: Noted.',
		],
	] as const)('%s %j', (locale, notification, text) => {
		expect(renderNotification(locale, notification)).toBe(text);
	});
});

describe('renderSms', () => {
	it('is Chinese, names the site and carries the full link', () => {
		expect(renderSms({ ...round, link: '/rounds/7' }, 'https://gj.example')).toBe(
			'【共建】「红岩新村」开始征求意见：方案意见，请在 2026年5月1日 18:00 前为您家提交。 https://gj.example/rounds/7',
		);
	});
});

describe('unitLabel', () => {
	it('translates configured keys and shows other names as written', () => {
		expect(unitLabel('zh-CN', 'property')).toBe('物业服务企业');
		expect(unitLabel('en', 'construction')).toBe('the construction team');
		expect(unitLabel('en', '城管')).toBe('城管');
	});
});
