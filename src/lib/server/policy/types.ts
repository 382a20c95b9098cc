export type Role = 'admin' | 'officer' | 'moderator';
export type Relation = 'owner' | 'family' | 'tenant';

/** A resident's active membership, as the policy and the pages need it (server-side only). */
export type Membership = {
	membershipId: number;
	householdId: number;
	relation: Relation;
	/** An owner, or a member an owner authorised: may cast consent ballots (民法典 art. 278). */
	mayConsent: boolean;
	communityId: number;
	compoundId: number;
	buildingId: number;
	buildingNumber: string;
	unitNumber: string;
	room: string;
	compoundName: string;
	compoundNameEn: string;
};

export type ResidentActor = { kind: 'resident'; userId: string; memberships: Membership[] };
export type StaffActor = {
	kind: 'staff';
	userId: string;
	roles: ReadonlySet<Role>;
	communityIds: ReadonlySet<number>;
	projectIds: ReadonlySet<number>;
};
export type Actor = ResidentActor | StaffActor;

/** What an action is about; each rule reads the fields it needs. */
export type Resource = {
	communityId?: number | undefined;
	projectId?: number | undefined;
	householdId?: number | undefined;
};
