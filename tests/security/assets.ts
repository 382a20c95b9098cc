import { writeZip } from '../../src/lib/server/roster/zip.ts';
import {
	buildAnimation,
	buildApng,
	buildImage,
	buildPngBomb,
	buildTruncatedJpeg,
	impostors,
} from '../factories/images.ts';
import type { Assets } from './corpus.ts';

/** A PNG whose header claims 60000 × 60000 (3.6 GP) but carries almost no data. */
function pngHeaderOnly(): Uint8Array {
	const bomb = buildPngBomb(64, 64);
	const copy = Buffer.from(bomb);
	copy.writeUInt32BE(60_000, 16);
	copy.writeUInt32BE(60_000, 20);
	return copy;
}

/** GIF header followed by a ZIP (a "GIFAR"): an image to one reader, an archive to another. */
function gifZipPolyglot(): Uint8Array {
	const zip = writeZip([
		{ name: 'evil.html', data: new TextEncoder().encode('<script>1</script>') },
	]);
	return Buffer.concat([Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), zip]);
}

/** An .xlsx whose one sheet inflates to 100 MB of spaces (past the 96 MB budget). */
function xlsxZipBomb(): Uint8Array {
	return writeZip([
		{ name: '[Content_Types].xml', data: new TextEncoder().encode('<Types/>') },
		{ name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(100 * 1024 * 1024).fill(0x20) },
	]);
}

/** Every file the corpus uploads; hostile ones must be refused and store nothing. */
export async function buildAssets(): Promise<Assets> {
	const jpeg = await buildImage('jpeg', { width: 64, height: 48 });
	const hostileImages: Record<string, Uint8Array> = {
		'a 20000 × 20000 PNG bomb': buildPngBomb(),
		'a PNG header claiming 60000 × 60000': pngHeaderOnly(),
		'HTML behind a JPEG start marker': impostors.htmlWithJpegMagic,
		'SVG with a script': impostors.svg,
		'an HTML page': impostors.html,
		'a PDF': impostors.pdf,
		'a HEIC header': impostors.heic,
		'an AVIF sequence header': impostors.avifSequence,
		'a BMP': impostors.bmp,
		'plain text': impostors.text,
		'a truncated JPEG': await buildTruncatedJpeg(0.3),
		'an animated PNG': await buildApng(),
		'an animated GIF': await buildAnimation('gif'),
		'a GIF/ZIP polyglot': gifZipPolyglot(),
		'an empty file': new Uint8Array(0),
		'21 MB behind a JPEG marker': Buffer.concat([
			Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
			Buffer.alloc(21 * 1024 * 1024, 7),
		]),
	};
	const hostileDocuments: Record<string, Uint8Array> = {
		'an HTML page named .pdf': impostors.html,
		'SVG with a script named .pdf': impostors.svg,
		'a PNG bomb named .pdf': buildPngBomb(),
		'HTML behind a JPEG marker named .pdf': impostors.htmlWithJpegMagic,
		'an empty file': new Uint8Array(0),
	};
	const hostileRosters: Record<string, Uint8Array> = {
		'an XLSX zip bomb (100 MB inflated)': xlsxZipBomb(),
		'an HTML page named .xlsx': impostors.html,
		'a PNG bomb named .xlsx': buildPngBomb(),
		'a GIF/ZIP polyglot named .xlsx': gifZipPolyglot(),
		'6 MB of binary noise': Buffer.alloc(6 * 1024 * 1024, 0x9c),
		'an empty file': new Uint8Array(0),
	};
	return {
		jpeg: new Uint8Array(jpeg),
		hostileImages,
		hostileDocuments,
		hostileRosters,
	};
}
