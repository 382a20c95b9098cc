/** The input formats the pipeline accepts, identified by content (see `sniff.ts`). */
export type AcceptedFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'tiff';

/** The formats the pipeline writes. */
export type OutputFormat = 'jpeg' | 'webp' | 'avif';

/** One encoded image: a variant, or the original exactly as uploaded. */
export type EncodedImage<F extends string = OutputFormat> = {
	format: F;
	/** MIME type to serve it with, e.g. `image/webp`. */
	contentType: string;
	/** Pixels as displayed, i.e. after EXIF orientation. */
	width: number;
	height: number;
	byteLength: number;
	/** SHA-256 of `data`, lowercase hex: the storage key and the immutable URL's fingerprint. */
	sha256: string;
	data: Uint8Array;
};

/**
 * The upload's pixels and colour profile with every other piece of metadata removed (no GPS,
 * camera, XMP, IPTC or comments; `strip.ts`). Still stored privately, keyed by `sha256`; only
 * variants are public.
 */
export type OriginalImage = EncodedImage<AcceptedFormat>;

/** A tiny blurred preview, inlined into the page while the real variant loads. */
export type Placeholder = {
	contentType: 'image/webp';
	width: number;
	height: number;
	byteLength: number;
	/** `data:image/webp;base64,…`, under 1 KB. */
	dataUri: string;
};

/** The synchronous part of an upload: everything needed to acknowledge and show it at once. */
export type ProcessedUpload = {
	original: OriginalImage;
	/** JPEG and WebP at each planned size, smallest first, JPEG before WebP at each size. */
	variants: EncodedImage[];
	placeholder: Placeholder;
};

/** What a cheap header read established about an upload, before any pixel is decoded. */
export type InspectedImage = {
	format: AcceptedFormat;
	/** Stored dimensions. */
	width: number;
	height: number;
	/** Dimensions as displayed, after EXIF orientation (swapped for orientations 5–8). */
	displayWidth: number;
	displayHeight: number;
};

/** Width and height of one variant to produce. */
export type VariantSize = { width: number; height: number };
