import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sniffImage, type Sniffed } from '../../../src/lib/server/images/sniff.ts';
import {
	buildAnimation,
	buildApng,
	buildImage,
	buildPngBomb,
	impostors,
} from '../../factories/images.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);
const accepted = (format: string, animated = false): Sniffed =>
	({ kind: 'accepted', format, animated }) as Sniffed;
const refused = (detected: string): Sniffed => ({ kind: 'refused', detected }) as Sniffed;

describe('sniffImage on hand-written headers', () => {
	it.each([
		['JPEG SOI', bytes(0xff, 0xd8, 0xff, 0xe1), accepted('jpeg')],
		['TIFF little-endian', bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0), accepted('tiff')],
		['TIFF big-endian', bytes(0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8), accepted('tiff')],
		['BigTIFF', bytes(0x49, 0x49, 0x2b, 0x00, 8, 0, 0, 0), refused('bigtiff')],
		['GIF87a', text('GIF87a....'), refused('gif')],
		['PDF', impostors.pdf, refused('pdf')],
		['BMP', impostors.bmp, refused('bmp')],
		['SVG', impostors.svg, refused('markup')],
		['HTML', impostors.html, refused('markup')],
		['SVG after a BOM and blank lines', text('\uFEFF\n\n  <svg/>'), refused('markup')],
		['HEIC brand', impostors.heic, refused('heic')],
		['AVIF sequence brand', impostors.avifSequence, accepted('avif', true)],
		['mif1 with avif compatible', isoHeader('mif1', ['avif', 'miaf']), accepted('avif')],
		['MP4 video', isoHeader('isom', ['isom', 'mp41']), refused('unknown')],
		['RIFF but WAVE', text('RIFF\0\0\0\0WAVEfmt '), refused('unknown')],
		['plain text', impostors.text, refused('unknown')],
		['one byte', bytes(0xff), refused('unknown')],
		['JPEG magic cut to two bytes', bytes(0xff, 0xd8), refused('unknown')],
		['empty', bytes(), refused('unknown')],
	])('%s', (_name, input, expected) => {
		expect(sniffImage(input)).toEqual(expected);
	});
});

describe('sniffImage on images sharp wrote', () => {
	const samples: Record<string, Uint8Array> = {};
	beforeAll(async () => {
		const size = { width: 8, height: 6 };
		for (const format of ['jpeg', 'png', 'webp', 'avif', 'tiff', 'gif'] as const) {
			samples[format] = await buildImage(format, size);
		}
		samples['webp+alpha'] = await buildImage('webp', { ...size, alpha: true });
		samples['animated webp'] = await buildAnimation('webp');
		samples['animated gif'] = await buildAnimation('gif');
		samples['apng'] = await buildApng();
		samples['png bomb'] = buildPngBomb(2000, 2000);
	});

	it.each([
		['jpeg', accepted('jpeg')],
		['png', accepted('png')],
		['webp', accepted('webp')],
		['webp+alpha', accepted('webp')],
		['avif', accepted('avif')],
		['tiff', accepted('tiff')],
		['gif', refused('gif')],
		['animated webp', accepted('webp', true)],
		['animated gif', refused('gif')],
		['apng', accepted('png', true)],
		['png bomb', accepted('png')],
	])('%s', (name, expected) => {
		expect(sniffImage(samples[name]!)).toEqual(expected);
	});
});

describe('sniffImage on arbitrary bytes', () => {
	it('never throws and always answers accepted or refused', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
				expect(['accepted', 'refused']).toContain(sniffImage(input).kind);
			}),
		);
	});

	it('survives PNG chunk lengths that point past the end', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), (tail) => {
				const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...tail]);
				expect(sniffImage(png)).toMatchObject({ kind: 'accepted', format: 'png' });
			}),
		);
	});
});

function isoHeader(major: string, compatible: string[]): Uint8Array {
	const body = text(`ftyp${major}\0\0\0\0${compatible.join('')}`);
	const header = new Uint8Array(4 + body.length);
	new DataView(header.buffer).setUint32(0, header.length);
	header.set(body, 4);
	return header;
}
