/**
 * The roster template: one row per household (户), columns in this order. It is a file format,
 * so its headers are fixed in both languages here (the parser must accept either whatever the
 * page's language); the page shows the same list with translated explanations.
 *
 * | key         | 中文表头        | English header     | required                               |
 * | ----------- | --------------- | ------------------ | -------------------------------------- |
 * | subdistrict | 街道            | Subdistrict        | no (needed when a community name repeats) |
 * | community   | 社区            | Community          | yes                                    |
 * | compound    | 小区            | Compound           | yes                                    |
 * | building    | 楼栋            | Building           | yes ("3", "3号楼" and "3栋" are the same) |
 * | unit        | 单元            | Unit               | yes ("1" or "1单元")                    |
 * | room        | 房号            | Room               | yes ("301" or "301室")                  |
 * | floor       | 楼层            | Floor              | no (from the room: 301 → 3, 1202 → 12)  |
 * | area        | 建筑面积(m²)    | Floor area (m²)    | yes, 0 < area ≤ 1000, two decimals     |
 * | occupancy   | 使用状态        | Occupancy          | yes: 自住/出租/空置, owner-occupied/rented/vacant |
 * | ownerKey    | 业主标识        | Owner identifier   | for new households; blank keeps the current owner |
 * | contactNote | 联系备注        | Contact note       | no; read but not stored                |
 */
export const columnKeys = [
	'subdistrict',
	'community',
	'compound',
	'building',
	'unit',
	'room',
	'floor',
	'area',
	'occupancy',
	'ownerKey',
	'contactNote',
] as const;

export type ColumnKey = (typeof columnKeys)[number];
export type TemplateLanguage = 'zh-CN' | 'en';

type ColumnSpec = { zh: string; en: string; required: boolean; aliases: string[] };

export const columns: Record<ColumnKey, ColumnSpec> = {
	subdistrict: {
		zh: '街道',
		en: 'Subdistrict',
		required: false,
		aliases: ['街道办', '街道(镇)', '镇', '乡镇街道', 'street', 'town'],
	},
	community: { zh: '社区', en: 'Community', required: true, aliases: ['社区名称', '居委会'] },
	compound: {
		zh: '小区',
		en: 'Compound',
		required: true,
		aliases: ['小区名称', '院落', 'estate', 'residentialcompound'],
	},
	building: {
		zh: '楼栋',
		en: 'Building',
		required: true,
		aliases: ['楼号', '楼栋号', '栋号', '幢号', 'bldg', 'buildingno', 'buildingnumber'],
	},
	unit: { zh: '单元', en: 'Unit', required: true, aliases: ['单元号', 'unitno', 'entrance'] },
	room: {
		zh: '房号',
		en: 'Room',
		required: true,
		aliases: ['房间号', '门牌号', '室号', 'roomno', 'flat', 'apartment'],
	},
	floor: { zh: '楼层', en: 'Floor', required: false, aliases: ['所在楼层', '层', 'storey'] },
	area: {
		zh: '建筑面积(m²)',
		en: 'Floor area (m²)',
		required: true,
		aliases: ['建筑面积', '面积', '房屋面积', 'area', 'aream2', 'floorarea', 'floorareasqm'],
	},
	occupancy: {
		zh: '使用状态',
		en: 'Occupancy',
		required: true,
		aliases: ['居住状态', '房屋状态', '自住出租空置', 'status', 'use'],
	},
	ownerKey: {
		zh: '业主标识',
		en: 'Owner identifier',
		required: false,
		aliases: [
			'产权证号',
			'不动产权证号',
			'房产证号',
			'业主编号',
			'ownerkey',
			'ownerid',
			'certificateno',
			'propertycertificate',
		],
	},
	contactNote: {
		zh: '联系备注',
		en: 'Contact note',
		required: false,
		aliases: ['备注', '联系方式备注', 'note', 'notes', 'remark', 'contact'],
	},
};

/** The header row of the template in a language. */
export function templateHeaders(language: TemplateLanguage): string[] {
	return columnKeys.map((key) => (language === 'en' ? columns[key].en : columns[key].zh));
}

/**
 * A header cell reduced to what identifies it: width forms folded (NFKC: "（m²）" → "(m2)"),
 * lower case, bracketed remarks and everything but letters and digits removed.
 */
export function headerKey(cell: string): string {
	return cell
		.normalize('NFKC')
		.toLowerCase()
		.replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
		.replace(/[^\p{L}\p{N}]/gu, '');
}

const headerIndex: Map<string, ColumnKey> = new Map(
	columnKeys.flatMap((key) => {
		const spec = columns[key];
		return [spec.zh, spec.en, key, ...spec.aliases].map((name) => [headerKey(name), key] as const);
	}),
);

/** The template column a header cell names, or null for a column we do not read. */
export function columnForHeader(cell: string): ColumnKey | null {
	const key = headerKey(cell);
	return key === '' ? null : (headerIndex.get(key) ?? null);
}

export const occupancies = ['owner_occupied', 'rented', 'vacant'] as const;
export type Occupancy = (typeof occupancies)[number];

/** How the template writes occupancy in each language (and reads either). */
export const occupancyLabels: Record<Occupancy, { zh: string; en: string; aliases: string[] }> = {
	owner_occupied: {
		zh: '自住',
		en: 'owner-occupied',
		aliases: ['业主自住', '自用', '自有', 'owner', 'owneroccupied', 'ownerocc'],
	},
	rented: {
		zh: '出租',
		en: 'rented',
		aliases: ['租住', '租户', '已出租', 'rent', 'tenant', 'let'],
	},
	vacant: { zh: '空置', en: 'vacant', aliases: ['闲置', '空房', '无人居住', 'empty'] },
};

const occupancyIndex: Map<string, Occupancy> = new Map(
	occupancies.flatMap((value) => {
		const label = occupancyLabels[value];
		return [label.zh, label.en, value, ...label.aliases].map(
			(name) => [headerKey(name), value] as const,
		);
	}),
);

/** The occupancy a cell names ("自住", "Rented", "owner_occupied"…), or null. */
export function occupancyFor(cell: string): Occupancy | null {
	return occupancyIndex.get(headerKey(cell)) ?? null;
}

export function occupancyLabel(value: Occupancy, language: TemplateLanguage): string {
	return language === 'en' ? occupancyLabels[value].en : occupancyLabels[value].zh;
}
