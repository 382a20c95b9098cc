import { isInputError } from 'astro:actions';
import { translate, type Locale, type MessageKey } from '../../i18n/index.ts';
import { zhCN } from '../../i18n/zh-CN.ts';

export type FormState = { error: string | null; fields: Record<string, string> };

const isKey = (value: string): value is MessageKey => value in zhCN;

/**
 * What a form shows after a failed action: a translated summary and per-field messages. Schema
 * messages are i18n keys; anything else (a library default) becomes a generic message.
 */
export function formState(locale: Locale, result: { error?: unknown } | undefined): FormState {
	const error = result?.error;
	if (!error) return { error: null, fields: {} };
	if (isInputError(error)) {
		const fields: Record<string, string> = {};
		for (const [name, messages] of Object.entries(error.fields)) {
			const first = (messages as string[] | undefined)?.[0];
			if (first) fields[name] = translate(locale, isKey(first) ? first : 'error.invalidField');
		}
		return { error: translate(locale, 'error.formInvalid'), fields };
	}
	return {
		error: (error as { message?: string }).message ?? translate(locale, 'error.badRequest'),
		fields: {},
	};
}

/** The submitted form of a POST (to keep what the user typed on error), or null. */
export async function postedForm(request: Request): Promise<FormData | null> {
	if (request.method !== 'POST') return null;
	return request.formData().catch(() => null);
}

/** A text value of the posted form, for re-filling a field after an error (never passwords). */
export function typed(form: FormData | null, name: string): string {
	const value = form?.get(name);
	return typeof value === 'string' ? value.slice(0, 2000) : '';
}
