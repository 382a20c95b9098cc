import jsQR from 'jsqr';
import sharp from 'sharp';

/**
 * Decodes the QR code in an image (a PNG screenshot, or an SVG rendered to PNG first), or
 * returns null. A white margin is added so a code cropped at the edge still has its quiet zone.
 */
export async function decodeQr(image: Buffer | string, width = 600): Promise<string | null> {
	const input = typeof image === 'string' ? Buffer.from(image) : image;
	const png = await sharp(input, { density: 300 })
		.resize({ width, withoutEnlargement: false })
		.flatten({ background: '#ffffff' })
		.extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#ffffff' })
		.png()
		.toBuffer();
	const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
	const code = jsQR(
		new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
		info.width,
		info.height,
	);
	return code?.data ?? null;
}
