/**
 * What `npm run bench` measures. Add a row to measure another page; `target` names the server
 * that answers it (the app, or one of the bare Node baselines started in the same run).
 */
export type BenchTarget = 'bare' | 'barePg' | 'app';

export type BenchRow = {
	/** Shown in the first column of the table. */
	name: string;
	target: BenchTarget;
	path: string;
	/**
	 * 'resident': sent with the session cookie of a signed-in resident bound to a household;
	 * 'moderator': the committee of a community with 10,000 opinions (sessions.ts).
	 */
	as?: 'resident' | 'moderator';
};

/** The first row is the baseline every ratio is computed against. */
export const benchRows: BenchRow[] = [
	{ name: 'bare Node http (static HTML)', target: 'bare', path: '/' },
	{ name: 'bare postgres.js query by id', target: 'barePg', path: '/' },
	{ name: '`/`', target: 'app', path: '/' },
	{ name: '`/p/city-0001`', target: 'app', path: '/p/city-0001' },
	{ name: '`/p/hongyan`', target: 'app', path: '/p/hongyan' },
	{ name: 'plan version `/p/dujuan/v/2` (visitor)', target: 'app', path: '/p/dujuan/v/2' },
	{
		name: 'plan version `/p/dujuan/v/2` (signed-in resident, cost share)',
		target: 'app',
		path: '/p/dujuan/v/2',
		as: 'resident',
	},
	{
		name: 'authenticated page `/account` (resident)',
		target: 'app',
		path: '/account',
		as: 'resident',
	},
	{
		name: 'moderation queue `/staff/moderation`, 10,000 opinions (moderator)',
		target: 'app',
		path: '/staff/moderation',
		as: 'moderator',
	},
];

/** Pages whose weight (HTML + linked CSS and JS, gzipped) is held to the budget. */
export const weightPages: string[] = ['/', '/p/city-0001', '/p/dujuan/v/2'];

/** The page-weight budget: 60 KB compressed, everything a first visit downloads. */
export const WEIGHT_BUDGET_BYTES = 60 * 1024;
