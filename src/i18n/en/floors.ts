import type { floors as zh } from '../zh-CN/floors.ts';

/** English — elevator rounds by floor: the building front and floor coefficients. */
export const floors: Record<keyof typeof zh, string> = {
	'floors.response.agree': 'agree',
	'floors.response.disagree': 'against',
	'floors.response.abstain': 'abstain',
	'floors.response.none': 'no vote',
	'floors.heading': 'By floor: {item}',
	'floors.intro':
		'Each unit is drawn floor by floor, one box per flat, the top floor at the top. Ballots are secret: it shows how many flats on each floor agreed, were against, abstained or did not vote, never which flat.',
	'floors.unit': 'Unit {unit}',
	'floors.floorLabel': 'F{floor}',
	'floors.floorSummary': 'Floor {floor}: {counts}',
	'floors.count': '{count} {response}',
	'floors.unitSummary': 'Unit {unit} by floor. {floors}',
	'floors.tableCaption': 'Unit {unit}: flats per floor',
	'floors.floorColumn': 'Floor',
	'floors.legend': 'Key',
	'floors.coefficientsHeading': 'Floor coefficients',
	'floors.coefficientsIntro':
		'Costs such as an elevator are shared by floor coefficient: a higher coefficient pays more, a floor at 0 pays nothing. A floor not listed has coefficient 1.',
	'floors.yourFloor': 'Your flat is on floor {floor}: coefficient {coefficient}.',
	'floors.coefficientColumn': 'Coefficient',
	'floors.coefficientsNone':
		'This round sets no floor coefficients: costs do not depend on the floor.',
	'floors.coefficientsLabel':
		'Floor coefficients (one floor per line, "floor:coefficient", e.g. 2:0.3; up to three decimals, at most 10)',
	'floors.coefficientsHint':
		'Leave empty for no floor coefficients. They cannot change once the round opens.',
	'floors.saveCoefficients': 'Save floor coefficients',
	'floors.saved': 'Floor coefficients saved.',
	'floors.invalidLine':
		'Line {line} cannot be read: write "floor:coefficient", e.g. 2:0.3, each floor once, a coefficient from 0 to 10.',
};
