/**
 * Text encodings of CSV rosters. Excel on a Chinese Windows still writes GB18030/GBK ("CSV"),
 * newer versions UTF-8 with a BOM ("CSV UTF-8"), and "Unicode text" is UTF-16 with a BOM.
 * Order: a BOM decides; otherwise valid UTF-8 is UTF-8 (GBK bytes are almost never valid
 * UTF-8); otherwise GB18030, a superset of GBK and GB2312.
 */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';

export type DecodedText = {
	text: string;
	encoding: TextEncoding;
	/** True when some bytes were not valid in the chosen encoding (shown as U+FFFD). */
	damaged: boolean;
};

const REPLACEMENT = '\uFFFD';

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
	return prefix.every((byte, i) => bytes[i] === byte);
}

function decodeWith(label: string, bytes: Uint8Array): { text: string; damaged: boolean } {
	try {
		return {
			text: new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes),
			damaged: false,
		};
	} catch {
		return { text: new TextDecoder(label, { ignoreBOM: true }).decode(bytes), damaged: true };
	}
}

function countReplacements(text: string): number {
	let count = 0;
	for (let i = text.indexOf(REPLACEMENT); i !== -1; i = text.indexOf(REPLACEMENT, i + 1)) count++;
	return count;
}

/**
 * Decodes a CSV file's bytes. Never throws: bytes that fit no encoding become U+FFFD, and the
 * rows holding them are reported as encoding errors by the validation (never stored).
 */
export function decodeText(bytes: Uint8Array): DecodedText {
	if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
		return { ...decodeWith('utf-8', bytes.subarray(3)), encoding: 'utf-8-bom' };
	}
	if (startsWith(bytes, [0xff, 0xfe])) {
		return { ...decodeWith('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
	}
	if (startsWith(bytes, [0xfe, 0xff])) {
		return { ...decodeWith('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
	}
	const utf8 = decodeWith('utf-8', bytes);
	if (!utf8.damaged) return { ...utf8, encoding: 'utf-8' };
	const gb = decodeWith('gb18030', bytes);
	if (!gb.damaged) return { ...gb, encoding: 'gb18030' };
	// Neither fits: keep the reading with fewer broken characters, so errors point at few rows.
	return countReplacements(gb.text) <= countReplacements(utf8.text)
		? { ...gb, encoding: 'gb18030' }
		: { ...utf8, encoding: 'utf-8' };
}
