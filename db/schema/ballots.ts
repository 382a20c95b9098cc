/**
 * Consultation rounds and household ballots (PRODUCT capability 4; 三入户、三公示 of seeds/000).
 *
 * A round is opened once: its households are then frozen in `round_households` (so a later
 * change to the tree or to a flat's area cannot move a result), and one tally row per item and
 * scope is created. Every ballot revision updates those rows in its own transaction, so full
 * results are a read of a few thousand rows, never a GROUP BY over the ballots, and never
 * stale; `npm run tally` recounts from the ballots and compares.
 */
export * from './ballots/enums.ts';
export * from './ballots/rounds.ts';
export * from './ballots/ballots.ts';
export * from './ballots/tallies.ts';
