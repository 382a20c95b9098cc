import type { committee as zh } from '../zh-CN/committee.ts';

/** English — committee tools: confirmations of irreversible steps, paper entry, door visits. */
export const committee: Record<keyof typeof zh, string> = {
	'committee.confirmRequired':
		'This step cannot be undone: tick the box on its confirmation page, then send it.',
	'committee.reasonRequired':
		'Participation is below target: closing early needs a written reason (at least 4 characters). It is published with the results.',
	'committee.cancel': 'Go back without doing it',
	'committee.whatHappens': 'Once you confirm:',
	'committee.targetMet': 'Target met.',
	'committee.targetNotMet': 'Target not met.',
	'committee.closeRoundTitle': 'Confirm closing early: {title}',
	'committee.closeSurveyTitle': 'Confirm closing the survey early: {title}',
	'committee.participationNow':
		'So far {responded} of {households} households have given their opinion ({share}); the target is {target}.',
	'committee.participationFinal':
		'{responded} of {households} households gave their opinion in this round ({share}); the target is {target}.',
	'committee.surveyParticipationNow':
		'So far {responded} of {households} households have answered ({share}); the target is {target}.',
	'committee.surveyParticipationFinal':
		'{responded} of {households} households answered this survey ({share}); the target is {target}.',
	'committee.closeNow': 'It closes now (it was due to close {closes}) and cannot be opened again.',
	'committee.closeNoMore':
		'Households can no longer give or change their opinion, and staff can no longer enter paper forms.',
	'committee.surveyCloseNoMore':
		'Households can no longer answer or change their answers, and staff can no longer enter paper questionnaires.',
	'committee.closeNobodyNotified': 'Households are not notified.',
	'committee.closeNotPublic':
		'Nothing is published yet: check the figures after closing, then confirm the publication under "Publish results".',
	'committee.surveyCloseNotPublic':
		'Nothing is published yet: moderate the written answers after closing, then confirm the publication.',
	'committee.closeBelowTarget':
		'Participation is below {target}: published verdicts will read "Too few took part: no valid result". A reason for closing early is required; it is shown on the public results page and kept in the audit log.',
	'committee.reasonRequiredLabel': 'Reason for closing early (required, published)',
	'committee.reasonOptionalLabel': 'Reason for closing early (optional)',
	'committee.reasonHint':
		'For example: the contractor starts earlier; the residents’ council agreed to close early.',
	'committee.closeConfirmBox': 'I have checked participation and confirm closing this round now.',
	'committee.surveyCloseConfirmBox':
		'I have checked participation and confirm closing this survey now.',
	'committee.closeConfirm': 'Confirm: close now',
	'committee.roundNotOpen': 'This round is not open: there is nothing to close.',
	'committee.roundNotClosed':
		'This round has not closed yet: results are published after it closes.',
	'committee.surveyNotOpen': 'This survey is not open: there is nothing to close.',
	'committee.surveyNotClosed':
		'This survey has not closed yet: results are published after it closes.',
	'committee.publishRoundTitle': 'Confirm publishing the results: {title}',
	'committee.publishSurveyTitle': 'Confirm publishing the survey results: {title}',
	'committee.publishCorrectionTitle':
		'Confirm publishing a correction (version {version}): {title}',
	'committee.publishPublic':
		'Version {version} of the results becomes public for everyone (results page, printable notice, CSV and JSON): the opinions and verdict on each item, and participation per compound and building.',
	'committee.publishPrivate': 'No household’s choice, name or phone number is published.',
	'committee.publishNotifies':
		'Members of the {households} households that took part get a notification.',
	'committee.publishNotQuorate':
		'Participation is below {target}: the public verdicts say "Too few took part: no valid result".',
	'committee.publishGates':
		'Verdicts on menu items are used to check the final plan: an item residents refused cannot enter it.',
	'committee.publishForever':
		'Once published it cannot be withdrawn or edited; only a correction with a note can follow.',
	'committee.publishCorrectionKeeps':
		'Earlier versions stay public; the correction is published with its note.',
	'committee.publishConfirmBox':
		'I have checked the results and confirm publishing version {version}.',
	'committee.surveyPublishPublic':
		'Version {version} of the results becomes public for everyone: satisfaction rate, mean, the distribution of each question and participation per building; groups with fewer than 5 responses are not shown.',
	'committee.surveyPublishPrivate':
		'Nobody’s answers are shown; only written answers approved for publication are published.',
	'committee.surveyPublishNotifies': 'Residents following this project get a notification.',
	'committee.surveyPublishBelowTarget':
		'Participation is below {target}: the results page shows the participation rate with them.',
	'committee.doneCreated':
		'The round was created as a draft. You can change its settings before opening it; residents do not see it yet.',
	'committee.doneOpened':
		'The round is open: its {households} households are fixed, and opinions are taken from its start time.',
	'committee.doneClosed':
		'The round closed at {time}: {responded} of {households} households gave their opinion ({share}). Nothing is public yet: check, then publish the results.',
	'committee.donePublished':
		'Version {version} of the results is published for everyone; the {households} households that took part were notified.',
	'committee.doneReviewed': 'Marked as checked.',
	'committee.doneResolved': 'The paper form was dealt with.',
	'committee.doneSettings': 'Settings saved.',
	'committee.doneSurveyClosed':
		'The survey closed at {time}: {responded} of {households} households answered. Nothing is public yet: moderate the written answers, then publish the results.',
	'committee.doneSurveyPublished':
		'Version {version} of the results is published for everyone; {followers} residents following the project were notified.',
	'committee.surveyClosedNotice':
		'The survey is closed and takes no more answers; its questions, mode and anonymity can no longer change.',
	'committee.earlyCloseReason': 'Closed early because: {reason}',
	'committee.firstPublicationNote': 'Publication note: {note}',
	'committee.findHousehold': 'Find the household of this form',
	'committee.doorNumber': 'Door number',
	'committee.doorNumberHint':
		'Building-unit-room, e.g. 5-2-301; or choose the building, the unit, then the room.',
	'committee.doorNumberNotFound':
		'No household in this round has the door number “{address}”. Check it and try again.',
	'committee.find': 'Find',
	'committee.chooseCompound': 'Several compounds have this door number: choose one',
	'committee.building': 'Building',
	'committee.chooseBuilding': 'Choose building',
	'committee.leftOf': '{left} of {total} to enter',
	'committee.units': 'Units',
	'committee.unitName': 'Unit {unit}',
	'committee.rooms': 'Rooms',
	'committee.roomName': 'Room {room}',
	'committee.paperSavedFor': 'Paper form of {household} saved:',
	'committee.surveyPaperSavedFor': 'Paper questionnaire of {household} entered.',
	'committee.nextInUnit': 'Next, the following household of the same unit: {household}.',
	'committee.unitFinished': 'Every other household of this unit is entered: choose the next unit.',
	'committee.alreadyAnswered': 'This household has answered already: no paper form can be entered.',
	'committee.navProgressMeetings': 'Construction progress and residents’ meetings',
	'committee.needsAttention': 'Needs attention',
	'committee.overdueProblems': '{count} problem reports are past their due date and not closed',
	'committee.closingBelowTarget':
		'“{title}” closes {time} with {share} taking part, below the {target} target: plan door visits',
	'committee.overdueDays': '{days} days overdue',
};
