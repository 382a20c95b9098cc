import type { visits as zh } from '../zh-CN/visits.ts';

/** English — door visits: recording outcomes, the visit list and the planner. */
export const visits: Record<keyof typeof zh, string> = {
	'visits.outcome.opinion_taken': 'Visited, opinion taken',
	'visits.outcome.not_home': 'Not at home',
	'visits.outcome.come_back': 'Come back on a date',
	'visits.outcome.refused': 'Refused',
	'visits.outcome.moved_out': 'Moved out',
	'visits.outcomeHint.opinion_taken':
		'With “Visited, opinion taken”, saving takes you straight to this household’s paper entry.',
	'visits.latest': '{outcome} ({name}, {time})',
	'visits.comeBackOn': 'come back on {date}',
	'visits.record': 'Record visit',
	'visits.recordFor': 'Record visit: {room}',
	'visits.recordTitle': 'Record a door visit',
	'visits.outcomeLegend': 'What the visit found',
	'visits.comeBackLabel': 'Date to come back (needed for “Come back on a date”)',
	'visits.noteLabel': 'Note (optional; no names or phone numbers)',
	'visits.save': 'Save the visit',
	'visits.saveHint':
		'Your name and the time are recorded. If the connection drops, send it again: it is recorded once.',
	'visits.history': 'Visits in this round',
	'visits.noHistory': 'No visits recorded in this round yet.',
	'visits.historyEntry': '{time} · {name} · {outcome}',
	'visits.recorded': 'Recorded for {household}: {outcome}.',
	'visits.repeated': 'This visit had already been saved; it was not recorded twice.',
	'visits.alreadyVoted': 'This household has already given its opinion; no visit is needed.',
	'visits.notInScope': 'This household is not part of this round.',
	'visits.outcomeInvalid': 'Choose what the visit found.',
	'visits.dateInvalid': 'The date to come back is not valid; write it as year-month-day.',
	'visits.dateRequired': 'Give the date to come back.',
	'visits.dateOutOfRange': 'The date to come back must be between today and a year from now.',
	'visits.noteTooLong': 'The note can be at most 500 characters.',
	'visits.formExpired': 'This form has expired: open the visit page again and send it from there.',
	'visits.planner': 'Visit planner',
	'visits.plannerIntro':
		'Units closest to the {target} participation target first: go where the fewest households are missing. Each unit lists households that have not given their opinion and neither refused nor moved out; those asked to be visited by today come first.',
	'visits.unitNeeded':
		'{needed} more households to reach the target ({responded} of {households} so far)',
	'visits.unitShort':
		'Fewer households left to visit than are needed: visits alone cannot reach the target.',
	'visits.nobodyLeft': 'No household left to visit.',
	'visits.allMet': 'Every unit has reached the participation target.',
	'visits.neverVisited': 'Not visited',
	'visits.visitCount': 'visited {count} times',
	'visits.summaryTitle': 'Door visits',
	'visits.summaryNone': 'No visits recorded in this round yet.',
	'visits.summaryItem': '{outcome}: {count} households',
	'visits.summaryHint': 'Households without an opinion yet, by the outcome of their latest visit.',
	'visits.actions': 'Record',
	'visits.backToList': 'Back to the visit list',
	'visits.household': '{compound} {address}',
};
