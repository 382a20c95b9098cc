import { describe, expect, it } from 'vitest';
import {
	matchRank,
	normaliseQuery,
	pinyinKeys,
	QUERY_MAX,
} from '../../../src/lib/server/projects/search-rules.ts';

const dujuan = {
	name: '杜鹃新村',
	nameEn: 'Dujuan New Village',
	address: '三明市三元区杜鹃路18号',
	aliases: ['杜鹃新村老旧小区改造'],
};
const hongyan = {
	name: '红岩新村',
	nameEn: 'Hongyan New Village',
	address: '三明市三元区新市中路11号',
	aliases: ['红岩新村老旧小区改造'],
};

describe('compound search', () => {
	it('keys a name by its pinyin, full and initials', () => {
		expect(pinyinKeys('杜鹃新村')).toEqual({ full: 'dujuanxincun', initials: 'djxc' });
		expect(pinyinKeys('崇桂新村').initials).toBe('cgxc');
	});

	it.each([
		['杜鹃', dujuan, 3],
		['djxc', dujuan, 3],
		['DJ XC', dujuan, 3],
		['dujuan', dujuan, 3],
		['dujuan new', dujuan, 3],
		['xincun', dujuan, 2],
		['新市中路', hongyan, 2],
		['老旧小区改造', hongyan, 1],
		['djxc', hongyan, 0],
		['新市中路', dujuan, 0],
		['', dujuan, 0],
	])('%s → %o gives rank %i', (raw, item, rank) => {
		expect(matchRank(item, normaliseQuery(raw))).toBe(rank);
	});

	it('bounds the query and ignores spaces and width', () => {
		expect(normaliseQuery('ｄｊ ｘｃ')).toBe('djxc');
		expect(normaliseQuery('x'.repeat(500))).toHaveLength(QUERY_MAX);
		expect(normaliseQuery(null)).toBe('');
	});
});
