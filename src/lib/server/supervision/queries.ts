import { and, asc, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import {
	acceptanceRecords,
	acceptanceSignatures,
	inspectionNotes,
	projectCompounds,
	supervisionDraws,
	supervisors,
} from '../../../../db/schema/index.ts';
import type { Actor } from '../policy/index.ts';
import { drawByLot } from './rules.ts';

/**
 * The supervision group's public view: members (with how they were chosen), the volunteers
 * still waiting, every draw with its seed and each ticket (to re-run it), the inspection notes,
 * the members who signed the acceptance record, and the viewer's own standing.
 */
export async function getSupervision(db: Executor, projectId: number, viewer: Actor | null) {
	const [people, draws, notes, signatures] = await Promise.all([
		db
			.select()
			.from(supervisors)
			.where(eq(supervisors.projectId, projectId))
			.orderBy(asc(supervisors.id)),
		db
			.select()
			.from(supervisionDraws)
			.where(eq(supervisionDraws.projectId, projectId))
			.orderBy(asc(supervisionDraws.id)),
		db
			.select({
				id: inspectionNotes.id,
				body: inspectionNotes.body,
				createdAt: inspectionNotes.createdAt,
				author: supervisors.publicName,
			})
			.from(inspectionNotes)
			.innerJoin(supervisors, eq(supervisors.id, inspectionNotes.supervisorId))
			.where(eq(inspectionNotes.projectId, projectId))
			.orderBy(desc(inspectionNotes.createdAt), desc(inspectionNotes.id)),
		db
			.select({
				supervisorId: acceptanceSignatures.supervisorId,
				signedAt: acceptanceSignatures.signedAt,
			})
			.from(acceptanceSignatures)
			.innerJoin(acceptanceRecords, eq(acceptanceRecords.id, acceptanceSignatures.recordId))
			.where(and(eq(acceptanceRecords.projectId, projectId))),
	]);
	const nameOf = new Map(people.map((p) => [p.id, p.publicName]));
	const mine =
		viewer?.kind === 'resident' ? people.find((p) => p.userId === viewer.userId) : undefined;
	const [acceptance] = await db
		.select({ id: acceptanceRecords.id })
		.from(acceptanceRecords)
		.where(eq(acceptanceRecords.projectId, projectId));
	const compounds = await db
		.select({ id: projectCompounds.compoundId })
		.from(projectCompounds)
		.where(eq(projectCompounds.projectId, projectId));
	const eligible =
		viewer?.kind === 'resident' &&
		viewer.memberships.some((m) => compounds.some((c) => c.id === m.compoundId));
	return {
		/** The viewer is a resident bound to a home of the project (may volunteer). */
		eligible,
		members: people
			.filter((p) => p.status === 'member')
			.map((p) => ({ id: p.id, name: p.publicName, byLot: p.drawId !== null })),
		volunteers: people
			.filter((p) => p.status === 'volunteer')
			.map((p) => ({ id: p.id, name: p.publicName })),
		draws: draws.map((d) => {
			const ids = d.candidateIds === '' ? [] : d.candidateIds.split(',').map(Number);
			return {
				id: d.id,
				seed: d.seed,
				seats: d.seats,
				drawnAt: d.drawnAt,
				entries: drawByLot(d.seed, ids, d.seats).map((e) => ({
					...e,
					name: nameOf.get(e.id) ?? '',
				})),
			};
		}),
		notes,
		signatures: signatures.map((s) => ({
			name: nameOf.get(s.supervisorId) ?? '',
			signedAt: s.signedAt,
		})),
		acceptanceRecorded: acceptance !== undefined,
		me: mine
			? {
					status: mine.status,
					signed: signatures.some((s) => s.supervisorId === mine.id),
				}
			: null,
	};
}

export type SupervisionView = Awaited<ReturnType<typeof getSupervision>>;
