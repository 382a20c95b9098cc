import type { MessageKey } from '../zh-CN.ts';

/** English — plans, renderings and images. */
export const plans = {
	'plans.versionsTitle': 'Design plans',
	'plans.versionNumber': 'Version {number}',
	'plans.metaDescription':
		"Renovation design plan, version {version}: what will be done, renderings, cost sharing and residents' opinions.",
	'plans.status.draft': 'Draft',
	'plans.status.upcoming': 'Opening for comment soon',
	'plans.status.open': 'Open for comment',
	'plans.status.closed': 'Comments closed',
	'plans.status.superseded': 'Superseded by a newer version',
	'plans.status.final': 'Final plan',
	'plans.windowText': 'Comments are open from {opens} to {closes}.',
	'plans.windowClosed': 'Comments closed on {closes}.',
	'plans.compareWithPrevious': 'Compare with version {number}',
	'plans.changesTitle': 'Changes since the previous version',
	'plans.changeFromOpinions': "(prompted by {count} residents' opinions)",
	'plans.renderingsTitle': 'Before and after renderings',
	'plans.before': 'Before',
	'plans.after': 'After',
	'plans.sliderLabel': 'Slide to compare before and after',
	'plans.itemsTitle': 'What will be done',
	'plans.category.basic': 'Basic',
	'plans.category.improvement': 'Improvement',
	'plans.category.upgrade': 'Upgrade',
	'plans.itemMoney': 'Cost ¥{cost}: government ¥{government}, residents ¥{residents}',
	'plans.split.area': "residents' part shared by floor area",
	'plans.split.equal': "residents' part shared equally by household",
	'plans.myShare': "Your household's estimated share: ¥{amount}",
	'plans.myTotal':
		'Under this version your household would pay about ¥{amount} in total (an estimate).',
	'plans.diffTitle': 'Version {from} compared with version {to}',
	'plans.diffText': 'Plan text',
	'plans.diffItems': 'Items',
	'plans.diffAdded': 'Added',
	'plans.diffRemoved': 'Removed',
	'plans.diffChanged': 'Changed',
	'plans.diffNone': 'No changes.',
	'plans.diffBefore': 'Version {number}',
	'plans.diffAfter': 'Version {number}',
	'plans.notDraft': 'A published version cannot be changed; make a new version to correct it.',
	'plans.notOpen': 'This version is not open for comment.',
	'plans.draftExists': 'There is already a draft version.',
	'plans.alreadyFinal': 'The final plan has been published.',
	'plans.moneyInvalid':
		'Enter amounts in yuan (up to two decimals); government plus residents may not exceed the cost.',
	'plans.itemUnknown': 'Choose a renovation item.',
	'plans.itemDuplicate': 'This item is already in the plan.',
	'plans.buildingOutOfScope': 'That building is not part of this project.',
	'plans.opinionUnknown': 'A cited opinion does not belong to an earlier version of this project.',
	'plans.windowInvalid': 'The comment window must end after it starts, and in the future.',
	'plans.noItems': 'A plan needs at least one item before it can be published.',
	'plans.gate.refused':
		'“{item}” was not approved by residents in “{round}” (nothing is renovated against residents’ will), so it cannot be in the final plan. Remove it from the plan or consult residents again.',
	'plans.gate.coverage':
		'Only {responded} of {households} households in {compound} gave their opinion on the plan, fewer than two thirds (opinions must come from at least two thirds of households), so the final plan cannot be published yet.',
	'plans.gate.notice':
		'The previous version (version {number}) was on public notice for only {days} days, fewer than {required} (a final plan follows a public notice), so the final plan cannot be published yet.',
	'plans.gate.noNotice':
		'A plan must first be on public notice for comment for at least {required} days before a final plan can be published.',
	'plans.gate.adminOnly':
		'Only a district administrator can publish past this requirement, with a written reason.',
	'plans.gate.reasonTooShort': 'Please write the reason (at least 10 characters).',
	'plans.gate.reasonTooLong': 'The reason can be at most 1000 characters.',
	'plans.gate.heading': 'What a final plan must meet before it is published',
	'plans.gate.allMet':
		'Met: the previous version was on public notice long enough, residents refused no item, and at least two thirds of the households of every compound gave their opinion.',
	'plans.gate.overrideLabel':
		'Reason to publish past these requirements (district administrator; shown publicly and audited)',
	'plans.gate.overridden':
		'This final plan did not meet the public-consultation requirements and was published by a district administrator for this reason: {reason}',
	'plans.titleRequired': 'Enter a title.',
	'plans.textTooLong': 'This text is too long.',
	'plans.captionRequired': 'Enter a caption for the rendering.',
	'plans.imageRequired': 'Choose an image.',
	'plans.attachmentsTitle': 'Drawings and attachments',
	'plans.pdfSize': '(PDF, {kb} KB)',
	'plans.pdfInvalid': 'Only PDF files are accepted.',
	'plans.pdfTooLarge': 'A PDF may not exceed {mb} MB.',
	'images.image_empty': 'The image file is empty.',
	'images.image_too_large_bytes': 'The image is too large; upload one of at most {mb} MB.',
	'images.image_unsupported_type':
		"Only JPEG, PNG, WebP, AVIF or TIFF images are accepted (judged by the file's content).",
	'images.image_too_many_pixels':
		'The image has too many pixels (limit {mp} megapixels); make it smaller first.',
	'images.image_corrupt': 'The image file is damaged or incomplete; choose it again.',
	'images.image_animated': 'Animated images are not accepted; upload a still image.',
	'images.image_busy': 'The server is busy with other images; try again in a moment.',
} satisfies Partial<Record<MessageKey, string>>;
