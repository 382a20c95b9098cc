import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import {
	getCommunityContact,
	listEditableContacts,
	updateCommunityContact,
} from '../../../src/lib/server/projects/community-contact.ts';
import { communityContactInput } from '../../../src/lib/server/projects/schemas.ts';
import { DomainError } from '../../../src/lib/server/shared/errors.ts';
import { createStaffUser, demoPlaces } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

describe.each(drivers)('committee contact on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
	});
	afterAll(async () => {
		await t?.close();
	});

	const input = (communityId: number, phone: string) =>
		communityContactInput.parse({
			communityId: String(communityId),
			contactPhone: phone,
			contactAddress: '梅岭社区居委会<b>二楼</b>',
			contactAddressEn: '',
			officeHours: '每天 9:00–17:00',
			officeHoursEn: '',
		});

	it('the committee sets its own contact, audited; another community is not found', async () => {
		const meiling = await demoPlaces(t.db, '梅岭社区');
		const jiangbin = await demoPlaces(t.db, '江滨社区');
		const staff = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [meiling.communityId],
		});
		expect((await listEditableContacts(t.db, staff)).map((c) => c.id)).toEqual([
			meiling.communityId,
		]);
		await updateCommunityContact(t.db, staff, input(meiling.communityId, '0598-8888 1234'));
		const saved = await getCommunityContact(t.db, meiling.communityId);
		expect(saved).toMatchObject({
			contactPhone: '0598-8888 1234',
			contactAddress: '梅岭社区居委会<b>二楼</b>',
			officeHours: '每天 9:00–17:00',
		});
		const audit = await t.db
			.select()
			.from(s.auditLog)
			.where(eq(s.auditLog.action, 'community.contact_update'));
		expect(audit).toHaveLength(1);
		const error = await updateCommunityContact(t.db, staff, input(jiangbin.communityId, '1')).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(DomainError);
		expect((error as DomainError).code).toBe('not_found');
		expect((await getCommunityContact(t.db, jiangbin.communityId))?.contactPhone).not.toBe('1');
	});

	it('refuses a phone with letters', () => {
		expect(
			communityContactInput.safeParse({ ...input(1, ''), contactPhone: 'call me' }).success,
		).toBe(false);
	});
});
