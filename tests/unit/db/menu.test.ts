import { describe, expect, it } from 'vitest';
import { renovationMenu } from '../../../db/seed/menu.ts';
import { createRandom } from '../../../db/seed/random.ts';

describe('the renovation menu of seeds/004', () => {
	it('has the 36 items: 17 for buildings (10 must-do) and 19 public (10 must-do)', () => {
		expect(renovationMenu).toHaveLength(36);
		const count = (scope: string, mustDo: boolean) =>
			renovationMenu.filter((i) => i.scope === scope && i.mustDo === mustDo).length;
		expect(count('building', true)).toBe(10);
		expect(count('building', false)).toBe(7);
		expect(count('public', true)).toBe(10);
		expect(count('public', false)).toBe(9);
	});

	it('has unique codes and names, must-do only among basic items, elevators as a special matter', () => {
		expect(new Set(renovationMenu.map((i) => i.code)).size).toBe(36);
		expect(new Set(renovationMenu.map((i) => i.name)).size).toBe(36);
		expect(renovationMenu.every((i) => !i.mustDo || i.category === 'basic')).toBe(true);
		expect(renovationMenu.find((i) => i.name.includes('电梯'))?.specialMatter).toBe(true);
	});
});

describe('createRandom', () => {
	it('is deterministic and stays in [0, 1)', () => {
		const a = createRandom(7);
		const b = createRandom(7);
		for (let i = 0; i < 1000; i++) {
			const x = a();
			expect(x).toBe(b());
			expect(x).toBeGreaterThanOrEqual(0);
			expect(x).toBeLessThan(1);
		}
	});
});
