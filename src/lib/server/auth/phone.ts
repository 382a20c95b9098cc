/**
 * Mainland China mobile numbers: 11 digits starting 13–19, stored with a +86 prefix. Accepts
 * what people type — spaces, dashes, full-width digits (全角), a +86 / 0086 / 86 prefix.
 */
export function normalizePhone(input: string): string | null {
	const compact = input.normalize('NFKC').replace(/[\s\-().]/g, '');
	const digits = compact.replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
	return /^1[3-9]\d{9}$/.test(digits) ? `+86${digits}` : null;
}

/** Staff see numbers masked: 138****8000. Residents' numbers are never shown publicly. */
export function maskPhone(phone: string): string {
	const digits = phone.replace(/^\+86/, '');
	return digits.length === 11 ? `${digits.slice(0, 3)}****${digits.slice(7)}` : '****';
}
