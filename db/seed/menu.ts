/**
 * The renovation menu (菜单式改造) of seeds/004 (永仁县城老旧小区改造工作实施方案, 改造内容):
 * building items (房屋本体) and public items (小区公共部分), each 基本必改 (must-do, basic) or
 * 提升改造 (optional). The optional ones are split as the national guideline does (国办发〔2020〕23号):
 * 完善类 improvement (elevators, parking, charging, fitness, elderly and barrier-free facilities)
 * and 提升类 upgrade (public services, façade character, express lockers…).
 * specialMatter marks Civil Code art. 278 matters 6–8 (rebuilding, changing common parts), which
 * need ≥ 3/4 approval.
 */
export type MenuItem = {
	code: string;
	category: 'basic' | 'improvement' | 'upgrade';
	scope: 'building' | 'public';
	mustDo: boolean;
	specialMatter: boolean;
	name: string;
	nameEn: string;
};

type Row = [MenuItem['category'], boolean, string, string];

const building: Row[] = [
	['basic', false, '屋面渗漏修缮', 'Roof leak repair'],
	['basic', false, '整治私搭乱建', 'Removal of illegal additions'],
	['basic', false, '建筑悬挂物处理', 'Removal of unsafe hanging fixtures'],
	['basic', false, '建筑外立面渗漏修补', 'Façade leak repair'],
	['basic', false, '单元楼道整修', 'Stairwell refurbishment'],
	['basic', false, '供电供水供气一户一表改造', 'One meter per household for power, water and gas'],
	['basic', false, '楼道内强弱电设施整治', 'Tidying stairwell power and telecom lines'],
	['basic', false, '楼道照明系统', 'Stairwell lighting'],
	['basic', false, '防雷设施', 'Lightning protection'],
	['basic', false, '消防设施（楼栋）', 'Fire safety equipment (building)'],
	['improvement', false, '单元防盗门及门禁', 'Unit security doors and access control'],
	['improvement', false, '单元入口增设遮阳雨棚', 'Canopies over unit entrances'],
	['improvement', true, '多层住宅楼房增设电梯', 'Adding elevators to walk-up buildings'],
	['upgrade', false, '屋面美化整饰', 'Roof finishing'],
	['improvement', false, '节能改造', 'Energy-saving retrofit'],
	['upgrade', true, '建筑外立面特色风貌改造', 'Façade character renovation'],
	['improvement', false, '房屋结构安全检测设施', 'Structural safety monitoring'],
];

const publicArea: Row[] = [
	['basic', false, '小区安全监管系统', 'Compound security monitoring'],
	['basic', false, '垃圾分类收集点', 'Sorted waste collection points'],
	['basic', false, '消防设施（小区）', 'Fire safety equipment (compound)'],
	['basic', false, '化粪池', 'Septic tanks'],
	['basic', false, '雨污管网', 'Separate rain and sewage pipes'],
	['basic', false, '“三线三管”整治', 'Overhead lines and pipes tidied'],
	['basic', false, '道路整治', 'Roads and paths'],
	['basic', false, '停车设施', 'Parking'],
	['basic', false, '室外照明系统', 'Outdoor lighting'],
	['basic', false, '围墙整治', 'Boundary walls'],
	['improvement', false, '充电设施', 'Charging points'],
	['improvement', false, '健身及活动设施', 'Fitness and activity equipment'],
	['upgrade', false, '小区出入口形象提升', 'Compound entrance upgrade'],
	[
		'upgrade',
		true,
		'公共服务设施（物业用房、活动室、图书室等）',
		'Public service rooms (management office, activity room, library)',
	],
	['upgrade', false, '信报箱和快递设施', 'Letter boxes and parcel lockers'],
	['improvement', false, '绿化改造提升', 'Greening'],
	['improvement', false, '活动场地', 'Activity grounds'],
	['improvement', false, '公共区域无障碍设施', 'Barrier-free public areas'],
	['improvement', false, '适老设施', 'Facilities for older residents'],
];

function toItems(rows: Row[], scope: MenuItem['scope'], prefix: string): MenuItem[] {
	return rows.map(([category, specialMatter, name, nameEn], index) => ({
		code: `${prefix}${String(index + 1).padStart(2, '0')}`,
		category,
		scope,
		mustDo: category === 'basic',
		specialMatter,
		name,
		nameEn,
	}));
}

export const renovationMenu: MenuItem[] = [
	...toItems(building, 'building', 'B'),
	...toItems(publicArea, 'public', 'P'),
];
