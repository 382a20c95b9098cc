/**
 * What an uploaded roster may be. Anything larger is refused before it is parsed, with a
 * message naming the limit; nothing is written for a refused file.
 */
export const rosterLimits = {
	/** Bytes of the uploaded file (a 100,000-row CSV is about 8 MB; real rosters are far smaller). */
	fileBytes: 5 * 1024 * 1024,
	/** Data rows (households) in one file. */
	rows: 100_000,
	/** Characters in one cell: names and numbers are short; a 1 MB cell is an attack. */
	cellChars: 200,
	/** Columns read per row; extra columns beyond this are ignored. */
	columns: 64,
	/** Rows searched for the header row (a title row or two above it is common). */
	headerSearchRows: 10,
	/** XLSX: entries in the zip, and bytes inflated per entry and in total (zip bombs). */
	zipEntries: 2_000,
	inflatedEntryBytes: 64 * 1024 * 1024,
	inflatedTotalBytes: 96 * 1024 * 1024,
	/** Row errors returned by a dry run (the count is always exact). */
	reportedErrors: 1_000,
	/** Changes and kept households listed by a dry run (the counts are always exact). */
	reportedItems: 500,
} as const;
