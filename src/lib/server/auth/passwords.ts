import { hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's recommended minimums (19 MiB, 2 passes, 1 lane). */
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

// A real hash to verify against when the account does not exist, so both paths cost the same.
const dummy = hash('gongjian-no-such-account', options);

/** Verifies a password; with no stored hash, spends the same time and returns false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
	if (!stored) {
		await verify(await dummy, password).catch(() => false);
		return false;
	}
	try {
		return await verify(stored, password);
	} catch {
		return false;
	}
}
