import type { MessageKey, Translator } from '../../../i18n/index.ts';
import type {
	HouseholdChange,
	HouseholdLabel,
	RowError,
} from '../../../lib/server/roster/index.ts';

/** Presentation helpers of the roster pages (underscore: not a route). */

export function householdLabel(t: Translator, label: HouseholdLabel): string {
	return t('roster.householdLabel', { ...label });
}

export function errorColumn(t: Translator, error: RowError): string {
	return error.column ? t(`roster.column.${error.column}` as MessageKey) : '';
}

export function errorReason(t: Translator, error: RowError): string {
	return t(error.reason, error.params);
}

export function describeChange(t: Translator, fields: HouseholdChange['fields']): string {
	const parts: string[] = [];
	if (fields.area) parts.push(t('roster.changeArea', { from: fields.area[0], to: fields.area[1] }));
	if (fields.floor)
		parts.push(t('roster.changeFloor', { from: fields.floor[0], to: fields.floor[1] }));
	if (fields.occupancy) {
		parts.push(
			t('roster.changeOccupancy', {
				from: t(`roster.occupancy.${fields.occupancy[0]}`),
				to: t(`roster.occupancy.${fields.occupancy[1]}`),
			}),
		);
	}
	if (fields.owner) parts.push(t('roster.changeOwner'));
	if (fields.restored) parts.push(t('roster.changeRestored'));
	return parts.join(' · ');
}

/** The body limit in MB from Astro's "Request body exceeds N bytes", or our own file limit. */
export function uploadLimitMb(message: string | undefined, fallbackMb: number): number {
	const bytes = Number(/exceeds (\d+) bytes/.exec(message ?? '')?.[1]);
	return Number.isFinite(bytes) && bytes > 0
		? Math.min(fallbackMb, Math.round((bytes / 1024 / 1024) * 10) / 10)
		: fallbackMb;
}
