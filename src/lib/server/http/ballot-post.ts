import type { IncomingMessage, ServerResponse } from 'node:http';
import { queryPrepared, type Db } from '../../../../db/client.ts';
import { localizePath, splitLocale, type Locale } from '../../../i18n/index.ts';
import { dueForExtension, isSessionToken, sessionIdFromToken } from '../auth/secrets.ts';
import { ballotBatcher } from '../ballots/batch.ts';
import { ballotRecord, onlineSubmission, recordedOutcome } from '../ballots/commands/cast.ts';
import { loadRoundCached } from '../ballots/load.ts';
import { castBallotInput } from '../ballots/schemas.ts';
import type { FrozenHousehold } from '../ballots/load.ts';
import { logger } from '../shared/logger.ts';
import { header, isHttps, requestId } from './node-request.ts';
import { parseCookies } from './page-cache.ts';
import { FALLBACK_CSP, isSameOrigin, originOf, securityHeaders } from './security.ts';
import { databaseSeemsDown } from './unavailable.ts';

/**
 * A resident's ballot, answered before Astro (src/start.ts, fast-path.ts): the POST the ballot
 * page's form sends (`/rounds/:id/ballot/:household?_action=ballots.cast`) gets the answer the
 * page gives — 303 to `?saved=<revision>` — in two round trips: the session with the membership
 * and the household as frozen in the round (one prepared query), then the ballot with its audit
 * entry through the batcher (ballots/batch.ts: one statement with the ballots that arrive
 * meanwhile, `gj_record_ballots`, migration 0025). Same rules as `castBallot`: a live resident
 * session, a bound member (an owner or one an owner authorised in a consent round), the
 * household in scope, a complete ballot, the round open by the database clock.
 *
 * Only the plain case is answered here. Anything else — another origin, no session or one lucia
 * would extend, not a member, a form that does not validate, a closed round, any error — goes to
 * Astro with the body read here (`req.body`, which the Node adapter reads instead of the
 * stream), and the page answers it as before: the translated error with the form kept. Nothing
 * is written before the answer is decided, so nothing is done twice.
 */
export type BallotPostOptions = { db: Db; trustProxy: boolean; sessionDays: number };

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

type Target = { locale: Locale; roundId: number; householdId: number };

const PATH = /^\/rounds\/(\d{1,9})\/ballot\/(\d{1,9})$/;
const ACTION_QUERY = '?_action=ballots.cast';
/** A full ballot with a 2,000-character comment is far below this; bigger ones go to Astro. */
const MAX_BODY = 64 * 1024;
const FORM_KEY = /^(?:roundId|householdId|overall|comment|choices\.\d{1,10}|options\.\d{1,10})$/;

/** The ballot POST this module answers, or null (everything else is Astro's). */
export function ballotPostTarget(
	method: string | undefined,
	rawUrl: string | undefined,
): Target | null {
	if (method !== 'POST' || !rawUrl) return null;
	const at = rawUrl.indexOf('?');
	if (at < 0 || rawUrl.slice(at) !== ACTION_QUERY) return null;
	const { locale, path } = splitLocale(rawUrl.slice(0, at));
	const match = PATH.exec(path);
	if (!match) return null;
	return { locale, roundId: Number(match[1]), householdId: Number(match[2]) };
}

/**
 * The form as Astro's action would read it (`choices.<id>` and `options.<id>` as objects,
 * empty optional fields absent), or null when it has a field twice or one the form never sends:
 * those are left to Astro so the two paths can never read one body differently.
 */
export function ballotForm(body: string): Record<string, unknown> | null {
	const params = new URLSearchParams(body);
	const seen = new Set<string>();
	const choices: Record<string, string> = {};
	const options: Record<string, string> = {};
	for (const [key, value] of params) {
		if (seen.has(key) || !FORM_KEY.test(key)) return null;
		seen.add(key);
		if (key.startsWith('choices.')) choices[key.slice(8)] = value;
		else if (key.startsWith('options.')) options[key.slice(8)] = value;
	}
	return {
		roundId: params.get('roundId'),
		householdId: params.get('householdId'),
		choices,
		options,
		overall: params.get('overall') || undefined,
		comment: params.get('comment') ?? '',
	};
}

/** Session, user, membership and the frozen household in one read (a prepared statement). */
const VOTER_SQL = `select u.id as user_id, u.kind,
	(u.disabled_at is null and u.deleted_at is null) as active, s.expires_at,
	m.relation, (m.consent_authorised_by is not null) as authorised,
	rh.compound_id, rh.building_id, rh.unit_id, rh.area_centi::int8::text as area_centi,
	rh.owner_key, rh.owner_units
	from sessions s
	join users u on u.id = s.user_id
	left join memberships m on m.user_id = u.id and m.household_id = $2 and m.ended_at is null
	left join round_households rh on rh.round_id = $3 and rh.household_id = $2
	where s.id = $1
	limit 1`;

type VoterRow = {
	user_id: string;
	kind: string;
	active: boolean;
	expires_at: Date | string;
	relation: string | null;
	authorised: boolean;
	compound_id: number | null;
	building_id: number | null;
	unit_id: number | null;
	area_centi: string | null;
	owner_key: string | null;
	owner_units: number | null;
};

/**
 * Handles the request if it is a ballot POST it can answer; returns false when it is not one
 * (the caller goes on), true when it took it (answered, or handed to Astro itself).
 */
export function handleBallotPost(
	req: IncomingMessage,
	res: ServerResponse,
	options: BallotPostOptions,
	astro: Listener,
): boolean {
	const target = ballotPostTarget(req.method, req.url);
	if (!target || !plainRequest(req, options.trustProxy)) return false;
	const token = parseCookies(header(req, 'cookie')).get('gj_session');
	if (!isSessionToken(token)) return false;
	const started = performance.now();
	const body = readBody(req);
	// Handled here at once: a client hanging up while the database answers must not be an
	// unhandled rejection (it is answered below, or not at all).
	body.catch(() => {});
	void cast(options, target, token, body)
		.catch((error: unknown) => {
			// A client that hung up needs no answer; anything else, Astro answers (a database
			// outage becomes its 503 with Retry-After).
			if (error instanceof ClientGone) logger.debug({ path: req.url }, 'client closed the request');
			else logger.warn({ err: error, path: req.url }, 'ballot fast path stepped aside');
			return null;
		})
		.then(async (revision) => {
			if (res.headersSent) return;
			if (revision !== null) {
				redirect(req, res, target, revision, options.trustProxy);
				logger.debug(
					{
						method: 'POST',
						path: req.url,
						status: 303,
						ms: Math.round(performance.now() - started),
					},
					'request',
				);
				return;
			}
			const buffer = await body.catch(() => null);
			if (buffer === null) {
				// The client hung up or sent more than it announced: nobody to answer.
				res.writeHead(400).end();
				return;
			}
			(req as IncomingMessage & { body?: Buffer }).body = buffer;
			astro(req, res);
		});
	return true;
}

/** A same-origin urlencoded form of a known length, while the database answers. */
function plainRequest(req: IncomingMessage, trustProxy: boolean): boolean {
	const type = header(req, 'content-type') ?? '';
	if (!type.startsWith('application/x-www-form-urlencoded')) return false;
	const length = Number(header(req, 'content-length'));
	if (!Number.isSafeInteger(length) || length <= 0 || length > MAX_BODY) return false;
	if (databaseSeemsDown()) return false;
	const host = header(req, 'host');
	if (!host) return false;
	let url: URL;
	try {
		url = new URL(`${isHttps(req, false) ? 'https' : 'http'}://${host}/`);
	} catch {
		return false;
	}
	return isSameOrigin(
		header(req, 'origin') ?? null,
		originOf(url, (n) => header(req, n), trustProxy),
	);
}

/** The client hung up, or sent more than it announced. */
class ClientGone extends Error {
	override name = 'ClientGone';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				reject(new ClientGone('body larger than announced'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.once('end', () => resolve(Buffer.concat(chunks)));
		req.once('error', () => reject(new ClientGone('request error')));
		req.once('aborted', () => reject(new ClientGone('aborted')));
	});
}

/** The revision recorded, or null when Astro must answer (see the module comment). */
async function cast(
	options: BallotPostOptions,
	target: Target,
	token: string,
	body: Promise<Buffer>,
): Promise<number | null> {
	const { db } = options;
	const [round, voters] = await Promise.all([
		loadRoundCached(db, target.roundId),
		queryPrepared<VoterRow>(db, VOTER_SQL, [
			sessionIdFromToken(token),
			target.householdId,
			target.roundId,
		]),
	]);
	const voter = voters[0];
	if (!round?.openedAt || !voter || voter.kind !== 'resident' || !voter.active) return null;
	if (dueForExtension(voter.expires_at, options.sessionDays)) return null;
	if (voter.relation === null || voter.compound_id === null) return null;
	if (round.consent && voter.relation !== 'owner' && !voter.authorised) return null;

	const form = ballotForm((await body).toString('utf8'));
	const parsed = form ? castBallotInput.safeParse(form) : null;
	if (!parsed?.success) return null;
	const input = parsed.data;
	if (input.roundId !== target.roundId || input.householdId !== target.householdId) return null;
	const household: FrozenHousehold = {
		householdId: target.householdId,
		compoundId: voter.compound_id,
		buildingId: voter.building_id!,
		unitId: voter.unit_id!,
		areaCenti: Number(voter.area_centi),
		ownerKey: voter.owner_key!,
		ownerUnits: voter.owner_units!,
	};
	let submission;
	try {
		submission = onlineSubmission(round, household, input, voter.user_id);
	} catch {
		return null;
	}
	const row = await ballotBatcher(db).record(ballotRecord(submission, null, 'ballot.cast'));
	if (row.status !== 'ok') return null;
	return recordedOutcome(row).revision;
}

/** The page's own answer to a saved ballot, with the headers the middleware gives a redirect. */
function redirect(
	req: IncomingMessage,
	res: ServerResponse,
	target: Target,
	revision: number,
	trustProxy: boolean,
) {
	const self = localizePath(
		target.locale,
		`/rounds/${target.roundId}/ballot/${target.householdId}`,
	);
	const headers: Record<string, string> = { location: `${self}?saved=${revision}` };
	for (const [name, value] of Object.entries(securityHeaders({ https: isHttps(req, trustProxy) })))
		headers[name.toLowerCase()] = value;
	headers['content-security-policy'] = FALLBACK_CSP;
	headers['content-length'] = '0';
	headers['x-request-id'] = requestId(req);
	res.writeHead(303, headers);
	res.end();
}
