import { afterEach, describe, expect, it } from 'vitest';
import {
	DomainError,
	asDomainError,
	isDomainError,
} from '../../../src/lib/server/shared/errors.ts';
import { ImageError, isImageError } from '../../../src/lib/server/images/errors.ts';
import { prepareImage } from '../../../src/lib/server/images/store.ts';
import {
	createImagePipeline,
	type ImagePipeline,
} from '../../../src/lib/server/images/pipeline.ts';
import { impostors } from '../../factories/images.ts';
import type * as errorsModule from '../../../src/lib/server/shared/errors.ts';
import type * as imageErrorsModule from '../../../src/lib/server/images/errors.ts';

type ErrorsModule = typeof errorsModule;
type ImageErrorsModule = typeof imageErrorsModule;

/**
 * `src/start.ts` loads the job handlers from src/ while the built server bundles its own copy
 * of every module: an error class from one copy is not `instanceof` the other's. A second copy
 * of a module (a different URL) reproduces that here.
 */
const copy = async <T>(file: string): Promise<T> =>
	(await import(/* @vite-ignore */ `${file}?second-copy`)) as T;

describe('errors recognised by their code, whichever copy of the module threw them', () => {
	const KEY = Symbol.for('gongjian.imagePipeline');
	const registry = globalThis as { [KEY]?: ImagePipeline };
	afterEach(() => {
		delete registry[KEY];
	});

	it('a DomainError from another copy is a DomainError', async () => {
		const other = await copy<ErrorsModule>('../../../src/lib/server/shared/errors.ts');
		const error = new other.DomainError('not_found', 'error.notFound');
		expect(error).not.toBeInstanceOf(DomainError);
		expect(isDomainError(error)).toBe(true);
		expect(asDomainError(error)?.code).toBe('not_found');
		expect(
			isDomainError(Object.assign(new Error('x'), { name: 'DomainError', code: 'boom' })),
		).toBe(false);
	});

	it('an upload refused by the pipeline that the job handlers created is invalid, not a 500', async () => {
		const other = await copy<ImageErrorsModule>('../../../src/lib/server/images/errors.ts');
		// The job worker (source copy) created the process's one pipeline before any upload: its
		// refusals are that copy's ImageError.
		const real = createImagePipeline();
		registry[KEY] = {
			...real,
			processUpload: async (bytes) => {
				try {
					return await real.processUpload(bytes);
				} catch (error) {
					const { code, message } = error as ImageError;
					throw new other.ImageError(code, message);
				}
			},
		};
		let thrown: unknown;
		try {
			await prepareImage(impostors.html);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(DomainError);
		expect((thrown as DomainError).code).toBe('invalid');
		expect((thrown as DomainError).messageKey).toBe('images.image_unsupported_type');
	});

	it('an ImageError of another copy is an ImageError; a look-alike with an unknown code is not', async () => {
		const other = await copy<ImageErrorsModule>('../../../src/lib/server/images/errors.ts');
		const error = new other.ImageError('image_corrupt', 'truncated');
		expect(error).not.toBeInstanceOf(ImageError);
		expect(isImageError(error)).toBe(true);
		expect(isImageError(Object.assign(new Error(), { name: 'ImageError', code: 'x' }))).toBe(false);
	});
});

describe('data PostgreSQL refuses is the client’s error (400), in one place', () => {
	const pg = (code: string) => Object.assign(new Error('db'), { code });
	const wrapped = (code: string) => Object.assign(new Error('Failed query'), { cause: pg(code) });
	it.each([
		['22003 integer out of range', wrapped('22003')],
		['22008 date out of range', wrapped('22008')],
		['22P02 invalid text representation', pg('22P02')],
		['22021 bad encoding', pg('22021')],
		['23503 foreign key', wrapped('23503')],
	])('%s → invalid, error.badInput', (_, error) => {
		const refused = asDomainError(error);
		expect(refused?.code).toBe('invalid');
		expect(refused?.messageKey).toBe('error.badInput');
	});
	it.each([
		['23505 unique', pg('23505')],
		['40001 serialization', pg('40001')],
		['a plain bug', new TypeError('x is undefined')],
	])('%s stays a failure', (_, error) => expect(asDomainError(error)).toBeNull());
});
