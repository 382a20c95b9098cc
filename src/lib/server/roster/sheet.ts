/** One non-blank row of a spreadsheet or CSV file, numbered as the spreadsheet shows it. */
export type SheetRow = {
	/** 1-based row number in the file (what a committee member sees in Excel). */
	row: number;
	/** Cell text by column index (A = 0); missing cells are ''. */
	cells: string[];
	/** Column indexes whose cell was a formula or a formula error (XLSX only): never trusted. */
	formulaColumns?: number[];
};

/** What a parsed upload is, for the dry-run report. */
export type SheetSource = {
	format: 'csv' | 'xlsx';
	/** CSV only: the detected text encoding. */
	encoding: string | null;
	rows: SheetRow[];
};
