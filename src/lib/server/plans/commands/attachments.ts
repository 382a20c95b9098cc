import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { attachments } from '../../../../../db/schema/index.ts';
import { DomainError } from '../../shared/index.ts';
import type { Actor } from '../../policy/index.ts';
import { editableDraft } from '../access.ts';
import { audit } from './common.ts';

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/**
 * Attaches a PDF drawing to a draft. Identified by content (the %PDF- signature and an %%EOF
 * trailer), not by name or declared type; stored in PostgreSQL, keyed by its SHA-256.
 * Errors: invalid (not a PDF, empty, too large), conflict (not a draft).
 */
export async function addAttachment(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; title: string; file: File },
): Promise<{ id: number }> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	if (input.file.size === 0) throw new DomainError('invalid', 'plans.pdfInvalid');
	if (input.file.size > MAX_ATTACHMENT_BYTES)
		throw new DomainError('invalid', 'plans.pdfTooLarge', { params: { mb: 20 } });
	const data = new Uint8Array(await input.file.arrayBuffer());
	const head = Buffer.from(data.subarray(0, 5)).toString('latin1');
	const tail = Buffer.from(data.subarray(Math.max(0, data.length - 1024))).toString('latin1');
	if (head !== '%PDF-' || !tail.includes('%%EOF'))
		throw new DomainError('invalid', 'plans.pdfInvalid');
	const hash = createHash('sha256').update(data).digest('hex');
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(attachments)
			.values({
				planVersionId: version.id,
				title: input.title,
				hash,
				contentType: 'application/pdf',
				byteLength: data.byteLength,
				data,
				uploadedBy: staff.userId,
			})
			.returning({ id: attachments.id });
		await audit(tx, staff.userId, 'plan.attachment_added', version.id, version.communityId, {
			attachmentId: row!.id,
			bytes: data.byteLength,
		});
		return { id: row!.id };
	});
}

export async function removeAttachment(
	db: Db,
	actor: Actor | null,
	input: { versionId: number; attachmentId: number },
): Promise<void> {
	const { staff, version } = await editableDraft(db, actor, input.versionId);
	await db.transaction(async (tx) => {
		const removed = await tx
			.delete(attachments)
			.where(and(eq(attachments.id, input.attachmentId), eq(attachments.planVersionId, version.id)))
			.returning({ id: attachments.id });
		if (removed.length === 0) throw new DomainError('not_found', 'error.notFound');
		await audit(tx, staff.userId, 'plan.attachment_removed', version.id, version.communityId, {
			attachmentId: input.attachmentId,
		});
	});
}
