import { describe, expect, it } from 'vitest';
import {
	groupByItem,
	STOP_WORDS,
	termsOf,
	topTerms,
	type OpinionFact,
} from '../../../src/lib/server/insights/terms.ts';

describe('terms of an opinion (Intl.Segmenter, Chinese words)', () => {
	it('splits Chinese into words and drops stop words, punctuation, numbers and single characters', () => {
		expect(termsOf('小区北门停车太乱了，希望增加停车位！3号楼')).toEqual([
			'停车',
			'乱了',
			'增加',
			'停车位',
		]);
	});

	it('counts a word once per opinion and folds case and full-width letters', () => {
		expect(termsOf('停车停车停车')).toEqual(['停车']);
		expect(termsOf('ＬＥＤ lights, LED lights')).toEqual(['led', 'lights']);
	});

	it('keeps the stop list in one place', () => {
		expect(STOP_WORDS.has('希望')).toBe(true);
		expect(termsOf('希望 建议 小区 我们 the and')).toEqual([]);
	});
});

describe('most frequent terms', () => {
	it('ranks by how many opinions use a term, then by term', () => {
		const texts = ['北门停车太难', '停车位不够，晚上停车难', '电梯噪音', '电梯和停车都要管'];
		expect(topTerms(texts, 2)).toEqual([
			{ term: '停车', count: 3 },
			{ term: '电梯', count: 2 },
		]);
	});

	it('leaves out terms only one opinion uses: they are not a pattern', () => {
		expect(topTerms(['外墙保温', '雨水管道'])).toEqual([]);
		expect(topTerms(['雨水管道'])).toEqual([]);
		expect(topTerms(['雨水管道', '雨水井'])).toEqual([{ term: '雨水', count: 2 }]);
	});
});

describe('opinions grouped by item', () => {
	const fact = (
		id: number,
		itemId: number | null,
		body: string,
		answered = false,
	): OpinionFact => ({
		id,
		itemId,
		itemName: itemId === null ? '' : `项目${itemId}`,
		itemNameEn: itemId === null ? '' : `Item ${itemId}`,
		body,
		answered,
	});

	it('shows per item how many opinions use a term and which of them wait for an answer', () => {
		const groups = groupByItem([
			fact(5, 7, '停车位太少'),
			fact(2, 7, '停车收费太贵', true),
			fact(9, 7, '增加停车位'),
			fact(3, null, '施工时间太长'),
			fact(4, 8, '电梯噪音'),
			fact(6, 8, '电梯太慢'),
		]);
		expect(groups.map((g) => [g.name, g.opinions, g.unanswered])).toEqual([
			['项目7', 3, 2],
			['项目8', 2, 2],
			['', 1, 1],
		]);
		expect(groups[0]!.terms).toEqual([
			{ term: '停车位', opinions: 2, unanswered: 2, unansweredIds: [5, 9] },
		]);
		expect(groups[1]!.terms[0]).toEqual({
			term: '电梯',
			opinions: 2,
			unanswered: 2,
			unansweredIds: [4, 6],
		});
	});

	it('puts the plan as a whole after an item of the same size, and nothing for no opinions', () => {
		expect(groupByItem([fact(1, null, '好'), fact(2, 3, '好')]).map((g) => g.itemId)).toEqual([
			3,
			null,
		]);
		expect(groupByItem([])).toEqual([]);
	});
});
