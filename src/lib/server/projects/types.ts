export type Stage =
	| 'survey'
	| 'consultation'
	| 'design'
	| 'notice'
	| 'construction'
	| 'acceptance'
	| 'evaluation'
	| 'maintenance';

/** Scope figures computed from the compounds a project covers (never typed in by hand). */
export type ScopeFigures = {
	households: number;
	buildings: number;
	/** m², exact decimal string */
	areaM2: string;
};

export type ProjectCard = ScopeFigures & {
	slug: string;
	name: string;
	nameEn: string;
	stage: Stage;
	year: number;
	investmentYuan: string;
	compoundNames: { name: string; nameEn: string }[];
};

export type StageRow = {
	stage: Stage;
	plannedStart: string | null;
	plannedEnd: string | null;
	actualStart: string | null;
	actualEnd: string | null;
	status: 'done' | 'current' | 'upcoming';
};

export type ProjectDetail = ProjectCard & {
	id: number;
	communityId: number;
	summary: string;
	summaryEn: string;
	community: { name: string; nameEn: string };
	subdistrict: { name: string; nameEn: string };
	compounds: (ScopeFigures & { name: string; nameEn: string; builtYear: number | null })[];
	stages: StageRow[];
};

export type ProjectPage = { items: ProjectCard[]; total: number; page: number; pages: number };
