import { describe, expect, it } from 'vitest';
import {
	consultationSteps,
	type ConsultationRound,
	type NoticedVersion,
} from '../../../src/lib/server/projects/process.ts';

const day = 86_400_000;
const at = (days: number) => new Date(Date.UTC(2026, 2, 1) + days * day);
let id = 0;
const round = (over: Partial<ConsultationRound>): ConsultationRound => ({
	id: ++id,
	kind: 'plan_opinion',
	title: '征求意见',
	titleEn: '',
	versionNumber: null,
	opensAt: at(0),
	closesAt: at(10),
	responded: 0,
	households: 90,
	...over,
});
const version = (number: number, status: NoticedVersion['status']): NoticedVersion => ({
	number,
	status,
	opensAt: at(number * 20),
	closesAt: at(number * 20 + 10),
});
const states = (rounds: ConsultationRound[], versions: NoticedVersion[], now: Date) =>
	consultationSteps(rounds, versions, now).map((s) => `${s.step}:${s.state}`);

describe('三入户、三公示 — the steps of a project', () => {
	it('a new project has every step ahead of it', () => {
		expect(states([], [], at(0))).toEqual([
			'needs:todo',
			'plan:todo',
			'revised:todo',
			'final:todo',
		]);
	});

	it('a consultation is done only with two thirds of the households, exactly at the boundary', () => {
		const needs = (responded: number) =>
			round({ kind: 'needs', responded, households: 90, closesAt: at(5) });
		expect(states([needs(60)], [], at(6))[0]).toBe('needs:done');
		expect(states([needs(59)], [], at(6))[0]).toBe('needs:short');
		expect(states([needs(10)], [], at(4))[0]).toBe('needs:open');
	});

	it('opinions on the first version are the second visit, on a later one the third', () => {
		const versions = [version(1, 'superseded'), version(2, 'closed'), version(3, 'final')];
		const rounds = [
			round({ kind: 'needs', responded: 70, closesAt: at(5) }),
			round({ versionNumber: 1, responded: 61, closesAt: at(30) }),
			round({ versionNumber: 2, responded: 20, closesAt: at(50) }),
		];
		const steps = consultationSteps(rounds, versions, at(70));
		expect(steps.map((s) => `${s.step}:${s.state}`)).toEqual([
			'needs:done',
			'plan:done',
			'revised:short',
			'final:done',
		]);
		expect(steps[1]!.version!.number).toBe(1);
		expect(steps[2]!.version!.number).toBe(2);
		expect(steps[3]!.version!.number).toBe(3);
	});

	it('a round that reached two thirds speaks for its step, before a later one that did not', () => {
		const rounds = [
			round({ kind: 'needs', responded: 80, closesAt: at(5) }),
			round({ kind: 'needs', responded: 5, closesAt: at(9) }),
		];
		const [needs] = consultationSteps(rounds, [], at(10));
		expect(needs!.round!.responded).toBe(80);
	});
});
