import { expect } from 'vitest';
import { DomainError } from '../../src/lib/server/shared/errors.ts';

/** Awaits a promise that must fail with a DomainError and returns that error. */
export async function reject(promise: Promise<unknown>): Promise<DomainError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
}
