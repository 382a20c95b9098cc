import type { trust as zh } from '../zh-CN/trust.ts';

/** English — privacy notice, consent and accessibility statement (issue 19). */
export const trust: Record<keyof typeof zh, string> = {
	'privacy.title': 'Privacy notice',
	'privacy.version': 'Version {version}',
	'privacy.intro':
		'Gongjian is run by the district housing bureau and the neighbourhood committees to collect opinions, votes and feedback on the renovation of old compounds. We collect only what this needs.',
	'privacy.collectTitle': 'What we collect',
	'privacy.collect.phone':
		'Your mobile number: to sign you in (by text message code) and to find your account.',
	'privacy.collect.household':
		'The household you bound: building, unit, flat and how you relate to it (owner, family member or tenant).',
	'privacy.collect.content':
		'The opinions, votes, survey answers, problem reports and photos you send (location data is removed from photos).',
	'privacy.collect.logs':
		'Sign-in records: when and from which network address, to prevent misuse and vote rigging.',
	'privacy.whyTitle': 'Why',
	'privacy.why':
		'To confirm you live in the compound, to count votes per household (Civil Code art. 278), to answer your opinions, to handle the problems you report and to prevent abuse. We use your information for nothing else and give it to no third party.',
	'privacy.publicTitle': 'What is public',
	'privacy.public':
		'Your opinions show only as "Resident, Bldg N"; your number, name and flat are never shown. Vote results are published as counts only.',
	'privacy.keepTitle': 'How long we keep it',
	'privacy.keep.phone': 'Your number: until you delete your account.',
	'privacy.keep.codes': 'Sign-in codes expire after 10 minutes.',
	'privacy.keep.sessions':
		'Signed-in devices expire when the sign-in does (30 days for residents by default).',
	'privacy.keep.ballots':
		'Votes and survey answers count for the household and stay after you delete your account, no longer linked to you; your opinions then show as "deleted user".',
	'privacy.rightsTitle': 'Your rights',
	'privacy.rights':
		'Under articles 44–47 of the Personal Information Protection Law you may see, copy, correct and delete your personal information, and withdraw your consent. Withdrawing consent or deleting your account does not undo what was done before.',
	'privacy.export': 'Download my data',
	'privacy.delete': 'Delete my account',
	'privacy.correct':
		'If your household details are wrong, ask your neighbourhood committee to correct them.',
	'privacy.contactTitle': 'Contact',
	'privacy.contact':
		'For questions or complaints about your personal information, contact your neighbourhood committee or the district housing bureau.',
	'privacy.consentLabel': 'I have read and agree to the privacy notice',
	'privacy.consentRead': 'Read the privacy notice',
	'privacy.consentNeeded': 'Please read and agree to the privacy notice (version {version}).',
	'privacy.consentSubmit': 'I have read it and agree',
	'privacy.consentGiven': 'You agreed to the privacy notice (version {version}).',
	'privacy.versionChanged': 'The notice has changed: please read it again before agreeing.',
	'footer.privacyLink': 'Privacy',
	'footer.accessibilityLink': 'Accessibility',
	'footer.searchLink': 'Find a compound',
	'footer.nav': 'About this site',
	'a11y.title': 'Accessibility statement',
	'a11y.intro':
		'We want every resident to be able to use Gongjian, including older people and those who use a screen reader, magnifier or keyboard.',
	'a11y.standardTitle': 'Standards we follow',
	'a11y.standard':
		'The site is designed to WCAG 2.2 level AA and the Chinese standard GB/T 37668, and follows the Ministry of Industry and Information Technology’s requirements for older users.',
	'a11y.featuresTitle': 'What you can do',
	'a11y.feature.large':
		'Choose "Large text" at the top of any page: text and buttons get bigger, and the setting is kept.',
	'a11y.feature.language': 'Every page is available in Chinese and English.',
	'a11y.feature.nojs': 'Everything works without JavaScript, on slow networks and older phones.',
	'a11y.feature.print': 'Notices print directly, ready to post on a notice board.',
	'a11y.testingTitle': 'How we check',
	'a11y.testing':
		'Every change is checked on a 360-pixel-wide phone screen with an automated tool (axe) on every kind of page, and by keyboard.',
	'a11y.limitsTitle': 'Known limitations',
	'a11y.limits':
		'Captions of renderings and construction photos are written by staff; some may lack detail.',
	'a11y.feedbackTitle': 'Feedback',
	'a11y.feedback':
		'If something is hard to use, tell your neighbourhood committee: we will fix it, and can give you paper copies or visit you at home.',
	'share.copy': 'Copy link',
	'share.copied': 'Link copied: paste it into a chat to send it to a neighbour.',
	'share.failed': 'Could not copy automatically: press and hold the link to copy it.',
	'community.navLink': 'Committee contact details',
	'community.title': 'Committee contact details',
	'community.intro':
		'The phone, office address and hours entered here are printed on every notice, so residents without a smartphone know how to reach the committee.',
	'community.phone': 'Phone',
	'community.address': 'Office address',
	'community.addressEn': 'Office address (English)',
	'community.hours': 'Office hours',
	'community.hoursEn': 'Office hours (English)',
	'community.save': 'Save',
	'community.saved': 'Saved.',
	'community.contactTooLong': 'This is too long.',
	'community.phoneInvalid': 'A phone number has only digits, spaces and + - ( ).',
	'notice.committeePhone': 'Phone: {phone}',
	'notice.committeeAddress': 'Address: {address}',
	'notice.committeeHours': 'Office hours: {hours}',
	'callNotice.heading': 'Call to take part',
	'callNotice.dates': 'When',
	'callNotice.deadline': 'Please take part by {time}',
	'callNotice.scan': 'Scan the QR code with your phone to answer online',
	'callNotice.howTitle': 'How to take part',
	'callNotice.online':
		'Online: scan the QR code or open the address below, sign in and bind your household, then answer; you can change your answers until the deadline.',
	'callNotice.paper':
		'On paper: collect a form at the committee office or wait for a home visit; sign it and hand it back to the committee.',
	'callNotice.consent':
		'In this round the owner, or a family member the owner authorised, votes for the household.',
	'callNotice.target':
		'The result counts only if at least {share} of households take part. One vote per household.',
	'callNotice.print': 'Print the call to take part (for notice boards)',
};
