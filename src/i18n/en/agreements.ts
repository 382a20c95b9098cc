import type {
	agreements as zh,
	supervision as zhSupervision,
	explainers as zhExplainers,
} from '../zh-CN/agreements.ts';

/** English — renovation agreements, supervision group, policy explainers (issue 22). */
export const agreements: Record<keyof typeof zh, string> = {
	'agreements.pageTitle': '{project} · Renovation agreement',
	'agreements.intro':
		'Once the final plan is published, the community signs a renovation agreement with each household: the works that concern it and its cost share. An owner, or a member the owner authorised, can confirm it here online, or sign a paper copy at the community office.',
	'agreements.noFinalPlan': 'The agreement can be confirmed once the final plan is published.',
	'agreements.finalPlanLink': 'See the final plan (version {number})',
	'agreements.totals': '{agreed} of {households} households have confirmed',
	'agreements.signIn': "Sign in to confirm your household's agreement",
	'agreements.notBound': 'You have not bound a home in this project yet.',
	'agreements.bindLink': 'Bind your home',
	'agreements.householdTitle': 'Building {building}, unit {unit}, room {room}',
	'agreements.termsIntro': 'The works in the final plan that concern this household:',
	'agreements.buildingItem': 'building {number}',
	'agreements.itemShare': 'your share ¥{yuan}',
	'agreements.totalShare': "This household's total share: ¥{yuan}",
	'agreements.agreedOnline':
		'This household confirmed the agreement online on {time} (share ¥{yuan}).',
	'agreements.agreedPaper':
		'This household signed a paper agreement, recorded by the community on {time} (share ¥{yuan}).',
	'agreements.confirmText':
		"On behalf of this household I agree to the works above as in the final plan and to pay this household's share of ¥{yuan}. This cannot be withdrawn online; contact the community if you disagree.",
	'agreements.confirmButton': 'Confirm the agreement',
	'agreements.confirmedNotice': 'Confirmed. Thank you!',
	'agreements.ownerOnly':
		'Only an owner, or a member the owner authorised, can confirm the agreement.',
	'agreements.already': 'This household has already confirmed the agreement.',
	'agreements.photoRequired': 'Please upload a photo of the signed page.',
	'agreements.byUnit': 'Confirmations by unit',
	'agreements.unitColumn': 'Building and unit',
	'agreements.householdsColumn': 'Households',
	'agreements.agreedColumn': 'Confirmed',
	'agreements.unitLabel': 'Building {building}, unit {unit}',
	'agreements.gateTitle': 'Before works start',
	'agreements.gateRule':
		'A building item residents pay for (such as a new elevator) starts only when every household paying for it has confirmed the agreement.',
	'agreements.gateOpen': 'The works may start.',
	'agreements.gateWaiting':
		'Building {building}, “{item}”: {missing} of {paying} paying households have not confirmed yet',
	'agreements.gateBlocked':
		'The start of works cannot be recorded yet: households paying for these building items have not all confirmed the agreement ({list}).',
	'agreements.publicPage': 'See the public page',
	'agreements.paperRecorded': 'Paper agreement recorded.',
	'agreements.paperTitle': 'Record a paper agreement',
	'agreements.paperIntro':
		'When a household signed a paper agreement at the office, choose its room and upload a photo of the signed page (the photo is not public).',
	'agreements.allAgreed': 'Every household has confirmed.',
	'agreements.household': 'Room',
	'agreements.photo': 'Photo of the signed page',
	'agreements.paperSubmit': 'Record',
	'agreements.participationTitle': 'Agreement, supervision and policy',
	'agreements.linkWithCount': 'Renovation agreement: {agreed} of {households} households confirmed',
	'agreements.staffLink': 'Renovation agreement (record paper copies)',
};

/** English — residents' supervision group (issue 22 item 4). */
export const supervision: Record<keyof typeof zhSupervision, string> = {
	'supervision.pageTitle': "{project} · Residents' supervision group",
	'supervision.pageLink': "Residents' supervision group: volunteer and members",
	'supervision.staffLink': "Residents' supervision group (confirm members, draw by lot)",
	'supervision.intro':
		"The residents' supervision group watches the quality and pace of the works, posts inspection notes, and takes part in the joint acceptance and signs its record. Any resident bound to a home here can volunteer; the committee confirms members or draws them by lot in public.",
	'supervision.volunteeredNotice':
		'Thank you for volunteering. The committee will confirm members or draw them by lot.',
	'supervision.membersTitle': 'Members',
	'supervision.noMembers': 'No members yet.',
	'supervision.byLot': 'drawn by lot',
	'supervision.confirmed': 'confirmed by the committee',
	'supervision.notesLink': 'Read the inspection notes',
	'supervision.volunteerTitle': 'Volunteer',
	'supervision.volunteersCount': '{count} volunteer(s) waiting.',
	'supervision.myStatus.volunteer':
		'You have volunteered; the committee will confirm or draw members.',
	'supervision.myStatus.member':
		'You are a member: you can post inspection notes on the progress page.',
	'supervision.myStatus.withdrawn': 'You have left the group.',
	'supervision.signIn': 'Sign in to volunteer',
	'supervision.notInProject': 'Bind a home in this project to volunteer.',
	'supervision.publicName': 'Name shown in public',
	'supervision.publicNameHint':
		'Shown on the list, e.g. "Building 3, Auntie Wang". No phone or room number.',
	'supervision.volunteerButton': 'Volunteer for the group',
	'supervision.volunteerNumber': 'No. {id}',
	'supervision.drawsTitle': 'Draws by lot',
	'supervision.algorithm':
		'How the draw works: each volunteer\'s ticket is SHA-256 of "seed:volunteer number" as lowercase hex; tickets are sorted from smallest to largest and the first N are drawn. The seed is published with the draw, so anyone can re-run it.',
	'supervision.drawLine': '{time}: {seats} drawn from {count} volunteer(s)',
	'supervision.seed': 'Seed:',
	'supervision.drawn': 'drawn',
	'supervision.rerun': 'Check it yourself (e.g. the first one):',
	'supervision.notesTitle': 'Inspection notes of the supervision group',
	'supervision.groupLink': "Residents' supervision group ({count} members)",
	'supervision.noteLabel': 'Inspection note',
	'supervision.notePost': 'Post the note',
	'supervision.noNotes': 'No inspection notes yet.',
	'supervision.signaturesTitle': 'Signatures of the group on the acceptance record',
	'supervision.noSignatures': 'No member has signed yet.',
	'supervision.signText': 'I took part in the joint acceptance and checked its record.',
	'supervision.signButton': 'Sign the acceptance record',
	'supervision.saved': 'Saved.',
	'supervision.volunteersTitle': 'Volunteers',
	'supervision.noVolunteers': 'No volunteers waiting.',
	'supervision.confirmButton': 'Confirm as member',
	'supervision.confirmAria': 'Confirm as member: {name}',
	'supervision.drawTitle': 'Draw by lot',
	'supervision.seats': 'Number to draw',
	'supervision.seedLabel': 'Seed (optional)',
	'supervision.seedHint':
		"A number announced beforehand (e.g. the day's lottery result), or leave empty for a random one; 4–64 letters, digits or - _ . :",
	'supervision.drawButton': 'Draw',
	'supervision.tooLong': 'This is too long.',
	'supervision.nameRequired': 'Please write the name to show.',
	'supervision.seatsInvalid': 'The number to draw must be a whole number from 1 to 50.',
	'supervision.seedInvalid': 'The seed must be 4–64 letters, digits or - _ . :',
	'supervision.noteRequired': 'Please write the note.',
	'supervision.membersOnly': 'Only members of the supervision group can do this.',
	'supervision.already': 'You have already volunteered.',
	'supervision.notVolunteer': 'This person is not a waiting volunteer.',
	'supervision.tooManySeats': 'There are only {count} volunteer(s); draw no more than that.',
	'supervision.noAcceptance': 'The joint acceptance has not been recorded yet.',
	'supervision.alreadySigned': 'You have already signed.',
};

/** English — policy explainers (issue 22 item 8). */
export const explainers: Record<keyof typeof zhExplainers, string> = {
	'explainers.pageLink': 'Policy explained, and questions answered',
	'explainers.staffLink': 'Policy explainers and FAQ (edit)',
	'explainers.projectTitle': '{project} · Policy explained',
	'explainers.districtTitle': '{district}: the renovation policy explained',
	'explainers.districtLink': "See the whole district's explainers",
	'explainers.none': 'No policy explainers yet.',
	'explainers.faqTitle': 'Frequently asked questions',
	'explainers.newEntry': 'New entry',
	'explainers.kind': 'Type',
	'explainers.kind.explainer': 'Policy explainer',
	'explainers.kind.faq': 'FAQ',
	'explainers.titleLabel': 'Title (the question, for an FAQ)',
	'explainers.titleEnLabel': 'English title (optional)',
	'explainers.bodyLabel': 'Text (the answer, for an FAQ)',
	'explainers.bodyEnLabel': 'English text (optional)',
	'explainers.markdownHint':
		'Markdown: ## heading, - list, **bold**, links. No HTML and no images.',
	'explainers.sortLabel': 'Order (smaller first)',
	'explainers.save': 'Save',
	'explainers.tooLong': 'This is too long.',
	'explainers.titleRequired': 'Please write a title.',
	'explainers.bodyRequired': 'Please write the text.',
	'explainers.kindInvalid': 'Please choose a type.',
	'explainers.scopeInvalid': 'Say which project or district this is for.',
	'explainers.noticeLine': 'Policy explained, and questions answered: {url}',
};
